/** The fields a node can read in its scope, as declared by what runs before it (for the Condition form). */
import type { JsonSchema } from "./action.js";
import type { FlowGraph, FlowNode } from "./graph.js";
import { childrenOf, indexGraph, pathFromRoot, type GraphIndex } from "./graph-index.js";
import { handleSpec, requireFacts, type NodeFacts } from "./node-facts.js";
import type { ActionRegistry } from "./registry.js";

export type FieldType = "string" | "number" | "integer" | "boolean" | "object" | "array" | "null" | "unknown";

export interface UpstreamField {
  /** Dotted path from the scope, e.g. `best_label.name`. */
  path: string;
  type: FieldType;
  /** Type of the items, for arrays whose schema says. */
  itemType?: FieldType;
  /** The node that writes it (for an object's own fields: the node that selected the objects). */
  nodeId: string;
  description?: string;
}

/** What every object scope has before any action writes into it. */
const OBJECT_FIELDS: JsonSchema = {
  type: "object",
  properties: {
    name: { type: "string", description: "Label of the object" },
    prob: { type: "number", description: "Probability of the object" },
    bound_box: { type: "array", items: { type: "number" }, description: "[xmin, ymin, xmax, ymax] in pixels" },
  },
};

/**
 * Field paths written into `nodeId`'s scope before it runs: by its ancestors in the same scope, by earlier
 * siblings under a sequential parent, and an object's own fields under an `objects` handle. Where two
 * writers write one path, the later (nearer) one is kept. The graph is expected to be valid.
 */
export function fieldPathsUpstream(graph: FlowGraph, registry: ActionRegistry, nodeId: string): UpstreamField[] {
  const index = indexGraph(graph);
  let fields: UpstreamField[] = [];
  for (const edge of pathFromRoot(index, nodeId)) {
    const parent = index.nodes.get(edge.source) as FlowNode;
    const facts = requireFacts(registry, parent);
    fields.push(...flatten(facts.writes, "", parent.id));
    if (handleSpec(facts, edge.sourceHandle)?.fanOut === "objects") {
      fields = flatten(OBJECT_FIELDS, "", parent.id);
      if (facts.objectFields) fields.push(...flatten(facts.objectFields, "", parent.id));
    }
    if (facts.sequential) {
      for (const sibling of childrenOf(index, parent.id, edge.sourceHandle)) {
        if (sibling.id === edge.target) break;
        fields.push(...subtreeFields(index, registry, sibling));
      }
    }
  }
  const latest = new Map<string, UpstreamField>();
  for (const field of fields) {
    latest.delete(field.path);
    latest.set(field.path, field);
  }
  return [...latest.values()];
}

/** Fields a whole subtree writes into its top's scope, in run order (depth first). */
function subtreeFields(index: GraphIndex, registry: ActionRegistry, top: FlowNode): UpstreamField[] {
  const fields: UpstreamField[] = [];
  const stack: FlowNode[] = [top];
  while (stack.length > 0) {
    const node = stack.pop() as FlowNode;
    const facts: NodeFacts = requireFacts(registry, node);
    fields.push(...flatten(facts.writes, "", node.id));
    const next = (index.childEdges.get(node.id) ?? [])
      .filter((edge) => handleSpec(facts, edge.sourceHandle)?.fanOut !== "objects")
      .map((edge) => index.nodes.get(edge.target))
      .filter((child): child is FlowNode => child !== undefined);
    stack.push(...next.reverse());
  }
  return fields;
}

function flatten(schema: JsonSchema, prefix: string, nodeId: string): UpstreamField[] {
  const properties = schema.properties;
  if (properties === null || typeof properties !== "object") return [];
  const fields: UpstreamField[] = [];
  for (const [name, value] of Object.entries(properties as Record<string, unknown>)) {
    if (value === null || typeof value !== "object") continue;
    const property = value as JsonSchema;
    const path = prefix === "" ? name : `${prefix}.${name}`;
    const type = typeOf(property);
    const field: UpstreamField = { path, type, nodeId };
    if (type === "array" && property.items !== null && typeof property.items === "object") {
      field.itemType = typeOf(property.items as JsonSchema);
    }
    if (typeof property.description === "string") field.description = property.description;
    fields.push(field);
    if (type === "object") fields.push(...flatten(property, path, nodeId));
  }
  return fields;
}

const TYPES: readonly FieldType[] = ["string", "number", "integer", "boolean", "object", "array", "null"];

function typeOf(schema: JsonSchema): FieldType {
  const { type } = schema;
  if (typeof type === "string") return TYPES.includes(type as FieldType) ? (type as FieldType) : "unknown";
  if (Array.isArray(type)) {
    // A nullable field (`["number", "null"]`) is tested as its non-null type.
    const real = type.filter((t) => t !== "null");
    return real.length === 1 ? typeOf({ type: real[0] }) : "unknown";
  }
  const sample =
    "const" in schema ? schema.const : Array.isArray(schema.enum) ? (schema.enum as unknown[])[0] : undefined;
  if (typeof sample === "string") return "string";
  if (typeof sample === "boolean") return "boolean";
  if (typeof sample === "number") return "number";
  if (typeof schema.properties === "object") return "object";
  return "unknown";
}
