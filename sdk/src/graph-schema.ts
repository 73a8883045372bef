/** JSON Schema (2020-12) of the saved flow graph document; the first check any graph goes through. */
import type { JsonSchema } from "./action.js";
import { FLOW_GRAPH_SCHEMA_VERSION } from "./graph.js";

const id = { type: "string", minLength: 1 };

export const flowGraphSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: "https://vizflow.dev/schemas/flow-graph-1.json",
  title: "Vizflow flow graph",
  type: "object",
  required: ["schema", "nodes", "edges"],
  additionalProperties: false,
  properties: {
    schema: { const: FLOW_GRAPH_SCHEMA_VERSION },
    nodes: { type: "array", items: { $ref: "#/$defs/node" } },
    edges: { type: "array", items: { $ref: "#/$defs/edge" } },
  },
  $defs: {
    node: {
      type: "object",
      required: ["id", "action", "config", "position"],
      additionalProperties: false,
      properties: {
        id,
        // The action id's form is checked by the validator, which can then say "unknown action" by name.
        action: { type: "string" },
        config: { type: "object" },
        position: {
          type: "object",
          required: ["x", "y"],
          additionalProperties: false,
          properties: { x: { type: "number" }, y: { type: "number" } },
        },
        label: { type: "string" },
      },
    },
    edge: {
      type: "object",
      required: ["id", "source", "sourceHandle", "target"],
      additionalProperties: false,
      properties: {
        id,
        source: id,
        sourceHandle: id,
        target: id,
        order: { type: "number" },
      },
    },
  },
} as const satisfies JsonSchema;
