/** JSON Schema (2020-12) of the saved flow graph document; the first check any graph goes through. */
import type { JsonSchema } from "./action.js";
import { FLOW_GRAPH_SCHEMA_VERSION } from "./graph.js";
import { FLOW_LIMITS } from "./limits.js";

const id = { type: "string", minLength: 1, maxLength: FLOW_LIMITS.maxIdLength };

export const flowGraphSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://vizflow.dev/schemas/flow-graph-1.json",
  title: "Vizflow flow graph",
  type: "object",
  required: ["schema", "nodes", "edges"],
  additionalProperties: false,
  properties: {
    schema: { const: FLOW_GRAPH_SCHEMA_VERSION },
    nodes: { type: "array", maxItems: FLOW_LIMITS.maxNodes, items: { $ref: "#/$defs/node" } },
    edges: { type: "array", maxItems: FLOW_LIMITS.maxEdges, items: { $ref: "#/$defs/edge" } },
  },
  $defs: {
    node: {
      type: "object",
      required: ["id", "action", "config", "position"],
      additionalProperties: false,
      properties: {
        id,
        // The action id's form is checked by the validator, which can then say "unknown action" by name.
        action: { type: "string", maxLength: FLOW_LIMITS.maxActionLength },
        config: { type: "object" },
        position: {
          type: "object",
          required: ["x", "y"],
          additionalProperties: false,
          properties: { x: { type: "number" }, y: { type: "number" } },
        },
        label: { type: "string", maxLength: FLOW_LIMITS.maxNodeLabelLength },
      },
    },
    edge: {
      type: "object",
      required: ["id", "source", "sourceHandle", "target"],
      additionalProperties: false,
      properties: {
        id,
        source: id,
        sourceHandle: { type: "string", minLength: 1, maxLength: FLOW_LIMITS.maxHandleLength },
        target: id,
        order: { type: "number" },
      },
    },
  },
} as const satisfies JsonSchema;
