/** Checks of what node configs point at in the workspace: tasks, labels, flows, services. */
import type { Reference } from "../action.js";
import type { FlowNode } from "../graph.js";
import type { GraphProblem } from "../problems.js";
import { closestNames } from "./closest.js";
import { describeFieldErrors } from "./field-messages.js";
import { compileSchema } from "./schema-cache.js";
import { disabledPluginName, quoteList, sentence, settingMessage } from "./messages.js";
import type { ValidationState } from "./state.js";

export function checkReferences(state: ValidationState): void {
  for (const [nodeId, facts] of state.facts) {
    const { references } = facts.action.definition;
    if (!references) continue;
    let refs: readonly Reference[];
    try {
      refs = references(facts.node.config);
    } catch (error) {
      state.report({
        code: "invalid_config",
        message: `Action ${facts.action.ref} failed to list what ${state.name(nodeId)} refers to (a plugin bug): ${error instanceof Error ? error.message : String(error)}`,
        nodeId,
        path: "",
      });
      continue;
    }
    for (const ref of refs) {
      if (ref.kind === "task") checkTask(state, facts.node, ref);
      else if (ref.kind === "flow") checkFlow(state, facts.node, ref);
      else checkService(state, facts.node, ref);
    }
  }
}

function problem(
  node: FlowNode,
  code: GraphProblem["code"],
  message: string,
  path: string,
  fieldMessage: string,
): GraphProblem {
  return { code, message, fieldMessage, nodeId: node.id, path };
}

/** Unknown labels of one node that get a list of the closest labels; later ones only a count. */
const SUGGESTED_LABELS = 5;
const CLOSEST = 5;

/** `"tabby", "tiger cat" and 3 more of its 1,000 labels`: the few nearest a name, and how many there are. */
export function closestLabels(name: string, labels: readonly string[], suggest: boolean): string {
  const count = labels.length.toLocaleString("en-US");
  if (labels.length === 0) return "it has no labels yet";
  if (!suggest) return `it has ${count} label${labels.length === 1 ? "" : "s"}`;
  if (labels.length <= CLOSEST) return `its labels: ${quoteList(labels)}`;
  const closest = closestNames(name, labels, CLOSEST);
  return `closest of its ${count} labels: ${quoteList(closest)}`;
}

function checkTask(state: ValidationState, node: FlowNode, ref: Extract<Reference, { kind: "task" }>): void {
  const name = sentence(state.name(node));
  const task = state.catalog.tasks.get(ref.id);
  if (!task) {
    state.report(
      problem(
        node,
        "unknown_task",
        ref.id === ""
          ? `${name} needs a task; choose one.`
          : `${name} uses task "${ref.id}", which does not exist in this workspace; choose another task.`,
        ref.path,
        ref.id === "" ? "Choose a task." : "This task no longer exists; choose another.",
      ),
    );
    return;
  }
  if (ref.types && !ref.types.includes(task.type)) {
    state.report(
      problem(
        node,
        "wrong_task_type",
        `${name} needs a ${ref.types.join(" or ")} task, but "${task.name}" is a ${task.type} task; choose a ${ref.types.join(" or ")} task.`,
        ref.path,
        `Choose a ${ref.types.join(" or ")} task ("${task.name}" is a ${task.type} task).`,
      ),
    );
    // Its labels belong to a task of the wrong kind; checking them would only add noise.
    return;
  }
  const known = new Set(task.labels);
  let unknown = 0;
  for (const label of ref.labels ?? []) {
    if (known.has(label.name)) continue;
    const hint = closestLabels(label.name, task.labels, unknown++ < SUGGESTED_LABELS);
    state.report(
      problem(
        node,
        "unknown_label",
        `${name} names label "${label.name}", which task "${task.name}" does not have (${hint}); choose one of its labels.`,
        label.path,
        `Task "${task.name}" has no label "${label.name}" (${hint}); choose one of its labels.`,
      ),
    );
  }
}

function checkFlow(state: ValidationState, node: FlowNode, ref: Extract<Reference, { kind: "flow" }>): void {
  const name = sentence(state.name(node));
  const { flows, currentFlowId } = state.catalog;
  if (ref.id === currentFlowId) {
    state.report(
      problem(
        node,
        "nested_flow_recursion",
        `${name} runs this same flow inside itself; choose another flow.`,
        ref.path,
        "A flow cannot run inside itself; choose another flow.",
      ),
    );
    return;
  }
  const flow = flows.get(ref.id);
  if (!flow) {
    state.report(
      problem(
        node,
        "unknown_flow",
        ref.id === ""
          ? `${name} needs a flow to run; choose one.`
          : `${name} runs flow "${ref.id}", which does not exist in this workspace; choose another flow.`,
        ref.path,
        ref.id === "" ? "Choose a flow." : "This flow no longer exists; choose another.",
      ),
    );
    return;
  }
  const version = ref.version ?? "deployed";
  if (version === "deployed" && flow.deployedVersion === undefined) {
    state.report(
      problem(
        node,
        "unknown_flow_version",
        `${name} runs the deployed version of flow "${flow.name}", but no version of it is deployed; deploy one or pin a saved version.`,
        ref.path,
        `"${flow.name}" has no deployed version; deploy one, or choose a saved version.`,
      ),
    );
  } else if (version !== "deployed" && !flow.versions.includes(version)) {
    state.report(
      problem(
        node,
        "unknown_flow_version",
        `${name} runs version ${version} of flow "${flow.name}", which has ${flow.versions.length > 0 ? `only versions ${flow.versions.join(", ")}` : "no saved version"}; choose one of them.`,
        ref.path,
        flow.versions.length > 0
          ? `"${flow.name}" has no version ${version}; choose one of its versions.`
          : `"${flow.name}" has no saved version yet; save one first.`,
      ),
    );
  }
  const loop = nestingLoop(state, ref.id);
  if (loop) {
    const names = loop.map((id) => (id === currentFlowId ? "this flow" : `"${flows.get(id)?.name ?? id}"`));
    state.report(
      problem(
        node,
        "nested_flow_recursion",
        `${name} makes flows run inside themselves: ${names.join(" → ")}; choose a flow that does not lead back.`,
        ref.path,
        `Choose a flow that does not lead back (${names.join(" → ")}).`,
      ),
    );
  }
}

/**
 * The chain of flows from `startId` back to the current flow, or around a loop among other flows,
 * following what the saved versions nest; undefined when the nesting ends.
 */
function nestingLoop(state: ValidationState, startId: string): string[] | undefined {
  const { flows, currentFlowId } = state.catalog;
  const done = new Set<string>();
  // Iterative depth-first search; `path` is the chain from the start to the flow being explored.
  const path: string[] = [];
  const stack: { id: string; next: number }[] = [{ id: startId, next: 0 }];
  path.push(startId);
  while (stack.length > 0) {
    const top = stack[stack.length - 1] as { id: string; next: number };
    const nested = flows.get(top.id)?.nestedFlowIds ?? [];
    if (top.next >= nested.length) {
      done.add(top.id);
      stack.pop();
      path.pop();
      continue;
    }
    const child = nested[top.next++] as string;
    if (currentFlowId !== undefined && child === currentFlowId) return [currentFlowId, ...path, currentFlowId];
    const onPath = path.indexOf(child);
    if (onPath >= 0) return [...path.slice(onPath), child];
    if (done.has(child)) continue;
    stack.push({ id: child, next: 0 });
    path.push(child);
  }
  return undefined;
}

function checkService(state: ValidationState, node: FlowNode, ref: Extract<Reference, { kind: "service" }>): void {
  const name = sentence(state.name(node));
  const service = state.registry.get(ref.action);
  const disabled = service ? undefined : state.registry.disabledPlugin(ref.action.split("/", 1)[0] ?? "");
  if (disabled) {
    state.report(
      problem(
        node,
        "plugin_disabled",
        `${name} calls service ${ref.action} of plugin ${disabledPluginName(disabled)}, which is disabled: ${disabled.reason}`,
        ref.path,
        "This service's plugin is disabled (see the Services page); fix the plugin or choose another service.",
      ),
    );
    return;
  }
  if (!service || service.definition.service !== true) {
    state.report(
      problem(
        node,
        "unknown_service",
        ref.action === ""
          ? `${name} needs a service; choose one.`
          : service
            ? `${name} calls ${ref.action} (${service.definition.title}), which is an action, not a service; choose a service.`
            : `${name} calls service ${ref.action}, which no enabled plugin provides; enable its plugin or choose another service.`,
        ref.path,
        ref.action === ""
          ? "Choose a service."
          : service
            ? `${service.definition.title} is not a service; choose a service.`
            : "This service is not available (its plugin is not enabled); choose another.",
      ),
    );
    return;
  }
  if (ref.config === undefined) return;
  const base = ref.configPath ?? ref.path;
  const compiled = compileSchema(service.definition.config);
  if (!compiled.ok) {
    state.report(
      problem(
        node,
        "invalid_config",
        `The config schema of service ${service.ref} is broken (a plugin bug): ${compiled.error}`,
        base,
        "This service cannot be set up (a bug in its plugin).",
      ),
    );
    return;
  }
  if (compiled.validate(ref.config)) return;
  const { config, ui } = service.definition;
  for (const violation of describeFieldErrors(compiled.validate.errors ?? [], config, ui, ref.config)) {
    const path = `${base}${violation.path}`;
    state.report(
      problem(
        node,
        "invalid_config",
        settingMessage(state.name(node), path, violation.message),
        path,
        violation.message,
      ),
    );
  }
}
