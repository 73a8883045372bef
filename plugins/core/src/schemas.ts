/** JSON Schema pieces shared by the core actions: the field layout of DESIGN.md "Execution semantics". */
import type { JsonSchema } from "@vizflow/sdk";

/** Fields the engine owns in a record or object; an action never writes them under a custom output name. */
export const RESERVED_FIELDS = [
  "_id",
  "_url",
  "_base64",
  "_width",
  "_height",
  "_status",
  "_objects",
  "_objects_dropped",
] as const;

/** A field name a user may choose for an action's output. */
export const outputFieldSchema: JsonSchema = {
  type: "string",
  title: "Output field",
  description: "Name of the field the result is written to.",
  pattern: "^[A-Za-z_][A-Za-z0-9_]{0,63}$",
  not: { enum: [...RESERVED_FIELDS] },
};

export const taskIdSchema: JsonSchema = { type: "string", minLength: 1, title: "Task" };

export const probSchema: JsonSchema = { type: "number", minimum: 0, maximum: 1 };

export const labelProbSchema: JsonSchema = {
  type: "object",
  required: ["name", "prob"],
  properties: { name: { type: "string" }, prob: probSchema },
};

export const categorizationSchema: JsonSchema = {
  type: "object",
  required: ["best_label", "labels"],
  additionalProperties: false,
  properties: { best_label: labelProbSchema, labels: { type: "array", items: labelProbSchema } },
};

export const regressionSchema: JsonSchema = { type: "number" };

/**
 * What a Recognition (or Branch Selector) writes when the task type is only known to the workspace:
 * `best_label` and `labels` (categorization), `labels` (tagging), or a number (regression). The
 * properties sit at the top so the editor can offer `best_label.name` and friends as field paths.
 */
export function predictionSchema(withRegression: boolean): JsonSchema {
  const labels: JsonSchema = { type: "object", required: ["labels"] };
  return {
    description: withRegression
      ? "Categorization: best_label and labels; tagging: labels over the threshold; regression: a number."
      : "Categorization: best_label and labels; tagging: labels over the threshold.",
    properties: categorizationSchema.properties,
    additionalProperties: false,
    ...(withRegression ? { anyOf: [labels, regressionSchema] } : labels),
  };
}

export const boundingBoxSchema: JsonSchema = {
  type: "array",
  items: { type: "number" },
  minItems: 4,
  maxItems: 4,
  description: "[xmin, ymin, xmax, ymax] in pixels of the original image",
};

/** An object in `_objects`; actions that ran on its crop add fields of their own. */
export const detectedObjectSchema: JsonSchema = {
  type: "object",
  required: ["name", "prob", "bound_box"],
  properties: { name: { type: "string" }, prob: probSchema, bound_box: boundingBoxSchema },
};

export const objectsFieldSchema: JsonSchema = { type: "array", items: detectedObjectSchema };

/** Written beside `_objects` only when a cap cut: nothing is ever left out without saying so. */
export const droppedFieldSchema: JsonSchema = {
  type: "integer",
  minimum: 1,
  description:
    "Objects found but left out by a cap (the node's Maximum objects, or the model version's maxDetections); " +
    "absent when none were.",
};

/** The writes of an action that detects objects: `_objects`, and `_objects_dropped` when a cap cut. */
export const writesObjects: JsonSchema = {
  type: "object",
  required: ["_objects"],
  properties: { _objects: objectsFieldSchema, _objects_dropped: droppedFieldSchema },
  additionalProperties: false,
};

/** `{ _objects }`, plus `_objects_dropped` when it is more than 0. */
export function objectsOutput(objects: unknown[], dropped: number): Record<string, unknown> {
  return dropped > 0 ? { _objects: objects, _objects_dropped: dropped } : { _objects: objects };
}

/** The writes schema of an action that writes nothing. */
export const writesNothing: JsonSchema = { type: "object", properties: {}, additionalProperties: false };

/** The writes schema of an action writing exactly one field. */
export function writesOneField(field: string, schema: JsonSchema): JsonSchema {
  return { type: "object", required: [field], properties: { [field]: schema }, additionalProperties: false };
}
