/** What a node's action says about it for its config: handles, writes, sibling rules, credits. */
import type { HandleSpec, JsonSchema } from "./action.js";
import type { FlowNode } from "./graph.js";
import type { ActionRegistry, RegisteredAction } from "./registry.js";

export interface NodeFacts {
  node: FlowNode;
  action: RegisteredAction;
  handles: readonly HandleSpec[];
  writes: JsonSchema;
  /** Fields of the objects it returns besides name, prob and bound_box (its own and its services'). */
  objectFields?: JsonSchema;
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
  const services = calledServices(registry, action, config);
  const objectFields = withServiceObjectFields(registry, services, registry.objectFieldsOf(action, config));
  return {
    node,
    action,
    handles: withServiceHandles(registry, services, handles as readonly HandleSpec[]),
    writes: withServiceWrites(registry, services, writes as JsonSchema),
    ...(objectFields === undefined ? {} : { objectFields }),
    sequential: typeof sequential === "function" ? sequential(config) : (sequential ?? false),
    exclusive: typeof exclusiveHandles === "function" ? exclusiveHandles(config) : (exclusiveHandles ?? false),
  };
}

type ServiceCall = { service: RegisteredAction; config: Record<string, unknown> };

/** The enabled services a node's config calls (the core Service action calls one). */
function calledServices(
  registry: ActionRegistry,
  action: RegisteredAction,
  config: Record<string, unknown>,
): ServiceCall[] {
  const calls: ServiceCall[] = [];
  for (const reference of action.definition.references?.(config) ?? []) {
    if (reference.kind !== "service") continue;
    const service = registry.get(reference.action);
    if (service?.definition.service) calls.push({ service, config: reference.config ?? {} });
  }
  return calls;
}

/**
 * A node that calls services writes what those services write: their declared fields join the node's
 * own, so the response schema, the sibling checks and the Condition's field picker see them.
 */
function withServiceWrites(registry: ActionRegistry, calls: readonly ServiceCall[], own: JsonSchema): JsonSchema {
  return mergeProperties(
    own,
    calls.map(({ service, config }) => [service, registry.writesOf(service, config)]),
    "a writes schema",
  ) as JsonSchema;
}

/** The object fields of a node that calls services: its own and those of the objects its services return. */
function withServiceObjectFields(
  registry: ActionRegistry,
  calls: readonly ServiceCall[],
  own: JsonSchema | undefined,
): JsonSchema | undefined {
  return mergeProperties(
    own,
    calls.map(({ service, config }) => [service, registry.objectFieldsOf(service, config)]),
    "an object fields schema",
  );
}

/** `own` with the properties of each service's schema added (a later service wins a name). */
function mergeProperties(
  own: JsonSchema | undefined,
  schemas: readonly (readonly [RegisteredAction, unknown])[],
  what: string,
): JsonSchema | undefined {
  let properties: Record<string, unknown> | undefined;
  for (const [service, schema] of schemas) {
    if (schema === undefined) continue;
    if (schema === null || typeof schema !== "object")
      throw new Error(`service ${service.ref} gave ${what} that is not an object`);
    const added = (schema as JsonSchema).properties;
    if (added === null || typeof added !== "object") continue;
    properties ??= { ...((own?.properties ?? {}) as Record<string, unknown>) };
    Object.assign(properties, added);
  }
  return properties === undefined ? own : { ...own, type: "object", properties };
}

/**
 * A node that calls services fans out to objects only when one of them returns objects: its "each object"
 * handles are dropped for services that never do (image quality, colours), where children could never run.
 */
function withServiceHandles(
  registry: ActionRegistry,
  calls: readonly ServiceCall[],
  own: readonly HandleSpec[],
): readonly HandleSpec[] {
  if (calls.length === 0) return own;
  const fansOut = calls.some(({ service, config }) =>
    registry.handlesOf(service, config).some((handle) => handle.fanOut === "objects"),
  );
  return fansOut ? own : own.filter((handle) => handle.fanOut !== "objects");
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
