/** The upload dialog's decoder choice: which decoders fit the task, and the params form's state as JSON text. */
import { getDefaultFormState, type Experimental_DefaultFormStateBehavior, type RJSFSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import type { JsonSchema } from "@vizflow/sdk";
import type { AdapterFields } from "./adapter-fields";
import type { TaskType } from "./task-types";

/** A decoder as `modelVersion.form` lists it: a built-in one or a plugin's. */
export interface DecoderChoice {
  id: string;
  title: string;
  params: JsonSchema;
  taskTypes: readonly TaskType[];
}

/**
 * How a newly chosen decoder's params start: the schema's non-empty defaults only. Padding arrays up to their
 * `minItems` would write `null` entries (the SSD decoder's `priors.strides: [null]`) that the schema refuses.
 */
export const NEW_PARAMS_DEFAULTS: Experimental_DefaultFormStateBehavior = {
  arrayMinItems: { populate: "never" },
  emptyObjectFields: "skipEmptyDefaults",
};

/** The params form adds nothing of its own: the preset's or the user's params stay as they are until edited. */
export const PARAMS_FORM_DEFAULTS: Experimental_DefaultFormStateBehavior = {
  arrayMinItems: { populate: "never" },
  emptyObjectFields: "skipDefaults",
};

/** The decoders that decode results of `taskType`, in the order the server lists them. */
export function decodersFor(decoders: readonly DecoderChoice[], taskType: TaskType): DecoderChoice[] {
  return decoders.filter((d) => d.taskTypes.includes(taskType));
}

/** Whether the decoder's params schema has fields to show as a form (not just `{ type: "object" }`). */
export function hasParamFields(decoder: DecoderChoice): boolean {
  const properties = (decoder.params as { properties?: Record<string, unknown> }).properties;
  return properties !== undefined && Object.keys(properties).length > 0;
}

/** The params the JSON text holds, when it is a JSON object (else the form waits for the text to be fixed). */
export function paramsOf(text: string): Record<string, unknown> | undefined {
  if (text.trim() === "") return {};
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === "object" && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** The fields with params written back as the JSON text the adapter is built from. */
export function withParams(fields: AdapterFields, params: Record<string, unknown>): AdapterFields {
  return { ...fields, params: JSON.stringify(params, null, 2) };
}

/**
 * The fields after choosing decoder `id`: another decoder's params would not fit its schema, so they start over
 * from the new decoder's defaults (`{}` for a decoder not in the list).
 */
export function withDecoder(fields: AdapterFields, id: string, decoders: readonly DecoderChoice[]): AdapterFields {
  if (id === fields.decoder) return fields;
  const decoder = decoders.find((d) => d.id === id);
  const defaults =
    decoder === undefined
      ? {}
      : (getDefaultFormState(
          validator,
          decoder.params as RJSFSchema,
          {},
          undefined,
          false,
          NEW_PARAMS_DEFAULTS,
        ) as Record<string, unknown>);
  return withParams({ ...fields, decoder: id }, defaults);
}
