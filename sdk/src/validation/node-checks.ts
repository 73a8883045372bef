/** Checks of each node against its action: the action exists, the config fits its schema, edges use its handles. */
import { parseActionRef } from "../graph.js";
import { factsOf } from "../node-facts.js";
import { describeFieldErrors } from "./field-messages.js";
import { compileSchema } from "./schema-cache.js";
import { disabledPluginName, quoteList, sentence, settingMessage } from "./messages.js";
import { withPath, type ValidationState } from "./state.js";

/** Disabled plugins whose entry never loaded (their actions are unknown): the action may be one of theirs. */
function unreadablePlugins(state: ValidationState): string {
  const unread = state.registry.disabledPlugins().filter((p) => p.name === undefined);
  if (unread.length === 0) return "";
  return ` It may belong to ${unread.map((p) => `plugin ${p.plugin}, which is disabled: ${p.reason}`).join("; or to ")}.`;
}

export function checkActionsAndConfigs(state: ValidationState): void {
  state.graph.nodes.forEach((node, i) => {
    // A repeated id is reported as duplicate_id; checking its config would name the wrong node.
    if (state.index.nodes.get(node.id) !== node) return;
    const ref = parseActionRef(node.action);
    const action = state.registry.get(node.action);
    if (!action) {
      const disabled = ref ? state.registry.disabledPlugin(ref.plugin) : undefined;
      if (disabled) {
        state.report({
          code: "plugin_disabled",
          message: `${sentence(state.name(node))} uses action ${node.action} of plugin ${disabledPluginName(disabled)}, which is disabled: ${disabled.reason}`,
          nodeId: node.id,
          path: `/nodes/${i}/action`,
        });
        return;
      }
      const majors = ref ? state.registry.majorsOf(`${ref.plugin}/${ref.action}`) : [];
      state.report(
        majors.length > 0
          ? {
              code: "unknown_action_version",
              message: `${sentence(state.name(node))} uses ${node.action}, but the installed plugin only provides major version${majors.length > 1 ? "s" : ""} ${majors.join(", ")}; migrate the node to a provided version.`,
              nodeId: node.id,
              path: `/nodes/${i}/action`,
            }
          : {
              code: "unknown_action",
              message: ref
                ? `${sentence(state.name(node))} uses action ${node.action}, which no enabled plugin provides; enable its plugin or replace the node.${unreadablePlugins(state)}`
                : `${sentence(state.name(node))} has action "${node.action}", which is not an action id like core/recognition@1.`,
              nodeId: node.id,
              path: `/nodes/${i}/action`,
            },
      );
      return;
    }
    state.actions.set(node.id, action);

    const compiled = compileSchema(action.definition.config);
    if (!compiled.ok) {
      state.report({
        code: "invalid_config",
        message: `The config schema of action ${action.ref} is broken (a plugin bug), so ${state.name(node)} cannot be checked: ${compiled.error}`,
        nodeId: node.id,
        path: "",
      });
      return;
    }
    if (!compiled.validate(node.config)) {
      const { config, ui } = action.definition;
      for (const violation of describeFieldErrors(compiled.validate.errors ?? [], config, ui, node.config)) {
        state.report({
          code: "invalid_config",
          message: settingMessage(state.name(node), violation.path, violation.message),
          fieldMessage: violation.message,
          nodeId: node.id,
          path: violation.path,
        });
      }
      return;
    }
    try {
      state.facts.set(node.id, factsOf(state.registry, action, node));
    } catch (error) {
      state.report({
        code: "invalid_config",
        message: `Action ${action.ref} failed to work out the handles and outputs of ${state.name(node)} from its config (a plugin bug): ${error instanceof Error ? error.message : String(error)}`,
        nodeId: node.id,
        path: "",
      });
    }
  });
}

export function checkHandles(state: ValidationState): void {
  for (const edge of state.graph.edges) {
    const facts = state.facts.get(edge.source);
    if (!facts || !state.index.nodes.has(edge.target)) continue;
    if (facts.handles.some((handle) => handle.id === edge.sourceHandle)) continue;
    const known = facts.handles.map((handle) => handle.id);
    state.report({
      code: "unknown_handle",
      message: `The edge from ${state.name(edge.source)} to ${state.name(edge.target)} leaves through handle "${edge.sourceHandle}", which ${state.name(edge.source)} does not have ${known.length > 0 ? `(its handles: ${quoteList(known)})` : "(it has no handles)"}; reconnect it.`,
      nodeId: edge.source,
      edgeId: edge.id,
      ...withPath(state.edgePath(edge.id, "sourceHandle")),
    });
  }
}
