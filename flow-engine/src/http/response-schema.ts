/**
 * The JSON Schema of a flow's response, from the writes schemas of its actions: what each node writes
 * lands in its scope (the record, or an object under `_objects` for children of an `objects` handle).
 * No written field is required: branches decide what runs.
 */
import type { JsonSchema } from "@vizflow/sdk";
import type { ExecutionPlan, PlanNode } from "../engine/plan.js";

type Properties = Record<string, JsonSchema>;

const STATUS: JsonSchema = {
  type: "object",
  properties: { code: { type: "integer" }, text: { type: "string" } },
  required: ["code", "text"],
};

const OBJECT_BASE: Properties = {
  name: { type: "string" },
  prob: { type: "number" },
  bound_box: { type: "array", items: { type: "number" }, minItems: 4, maxItems: 4 },
};

function propertiesOf(schema: JsonSchema): Properties {
  const properties = (schema as { properties?: unknown }).properties;
  return typeof properties === "object" && properties !== null ? { ...(properties as Properties) } : {};
}

/** `_objects` with the properties it already has, plus `extra`. */
function withObjectProperties(current: JsonSchema | undefined, extra: Properties): JsonSchema {
  const items = (current as { items?: JsonSchema } | undefined)?.items ?? {};
  return { type: "array", items: { type: "object", properties: { ...OBJECT_BASE, ...propertiesOf(items), ...extra } } };
}

/** Adds what `node` and its subtree write into the scope `props`. */
function collect(node: PlanNode, props: Properties): void {
  for (const [key, schema] of Object.entries(propertiesOf(node.writes))) {
    if (key === "_objects")
      props._objects = withObjectProperties(
        props._objects,
        propertiesOf((schema as { items?: JsonSchema }).items ?? {}),
      );
    else props[key] = schema;
  }
  for (const handle of node.handles.values()) {
    if (handle.spec.fanOut === "objects") {
      const objectProps: Properties = propertiesOf(node.objectFields ?? {});
      for (const child of handle.children) collect(child, objectProps);
      props._objects = withObjectProperties(props._objects, objectProps);
    } else {
      for (const child of handle.children) collect(child, props);
    }
  }
}

export function responseSchema(plan: ExecutionPlan, meta: { flowId: string; version: number }): JsonSchema {
  const written: Properties = {};
  collect(plan.root, written);
  return {
    $schema: "https://json-schema.org/draft/2020-12/schema",
    title: `Response of flow ${meta.flowId} version ${meta.version}`,
    type: "object",
    properties: {
      records: {
        type: "array",
        items: {
          type: "object",
          description: "The record's own fields (except _base64) are echoed back as sent.",
          properties: {
            _id: {},
            _url: { type: "string" },
            ...written,
            _width: { type: "integer" },
            _height: { type: "integer" },
            _status: STATUS,
          },
          required: ["_status"],
        },
      },
      statistics: {
        type: "object",
        properties: { credits: { type: "integer" }, processing_time_ms: { type: "integer" } },
        required: ["credits", "processing_time_ms"],
      },
      status: STATUS,
    },
    required: ["records", "statistics", "status"],
  };
}
