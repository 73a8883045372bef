/** What a node's action says about it for its config: handles, writes, sibling rules, credits. */
import type { HandleSpec, JsonSchema } from "./action.js";
import type { FlowNode } from "./graph.js";
import type { ActionRegistry, RegisteredAction } from "./registry.js";

export interface NodeFacts {
  node: FlowNode;
  action: RegisteredAction;
  handles: readonly HandleSpec[];
  writes: JsonSchema;
  /** Children of one handle run one after another. */
  sequential: boolean;
  /** At most one handle is taken per run. */
  exclusive: boolean;
}

/** Evaluates an action's config-dependent properties for a node; throws when the plugin's code does. */
export function factsOf(registry: ActionRegistry, action: RegisteredAction, node: FlowNode): NodeFacts {
  const { config } = node;
  const { sequential, exclusiveHandles } = action.definition;
  const handles: unknown = registry.handlesOf(action, config);
  const writes: unknown = registry.writesOf(action, config);
  // Computed from config by plugin code: checked here so a plugin bug is reported, not crashed on later.
  if (!Array.isArray(handles)) throw new Error("its handles are not a list");
  if (writes === null || typeof writes !== "object") throw new Error("its writes schema is not an object");
  return {
    node,
    action,
    handles: handles as readonly HandleSpec[],
    writes: writes as JsonSchema,
    sequential: typeof sequential === "function" ? sequential(config) : (sequential ?? false),
    exclusive: typeof exclusiveHandles === "function" ? exclusiveHandles(config) : (exclusiveHandles ?? false),
  };
}

/** Facts of a node of a graph that is expected to be valid; throws a clear error when it is not. */
export function requireFacts(registry: ActionRegistry, node: FlowNode): NodeFacts {
  const action = registry.get(node.action);
  if (!action) throw new Error(`node "${node.id}" uses action ${node.action}, which no enabled plugin provides`);
  return factsOf(registry, action, node);
}

/** Top-level field names a `writes` schema declares. */
export function writtenFields(writes: JsonSchema): string[] {
  const properties = writes.properties;
  return properties !== null && typeof properties === "object" ? Object.keys(properties) : [];
}

/** The handle spec of `handle`, or undefined when the node has no such handle. */
export function handleSpec(facts: NodeFacts, handle: string): HandleSpec | undefined {
  return facts.handles.find((spec) => spec.id === handle);
}
