/** Helpers shared by the built-in decoders: reading outputs and params, naming labels. */
import type { DecoderInput, DetectedObject, TaskPrediction, Tensor } from "@vizflow/sdk";
import { nms, type Candidate } from "./nms.js";

/**
 * The output named by `params[key]`; else the output called `fallback.name`, else the output at
 * `fallback.index` (default 0) in the model's order.
 */
export function pickOutput(
  input: DecoderInput,
  key = "output",
  fallback: { name?: string; index?: number } = {},
): Tensor & { data: Float32Array } {
  const wanted = input.params[key];
  const names = Object.keys(input.outputs);
  const name =
    typeof wanted === "string"
      ? wanted
      : fallback.name !== undefined && names.includes(fallback.name)
        ? fallback.name
        : names[fallback.index ?? 0];
  const tensor = name === undefined ? undefined : input.outputs[name];
  if (tensor === undefined) {
    throw new Error(`the model has no output "${String(name)}" (outputs: ${names.join(", ") || "none"})`);
  }
  if (!(tensor.data instanceof Float32Array)) throw new Error(`output "${name}" is not float32`);
  return tensor as Tensor & { data: Float32Array };
}

export function numberParam(params: Record<string, unknown>, key: string, fallback: number): number {
  const v = params[key];
  return typeof v === "number" && Number.isFinite(v) ? v : fallback;
}

export function boolParam(params: Record<string, unknown>, key: string, fallback: boolean): boolean {
  const v = params[key];
  return typeof v === "boolean" ? v : fallback;
}

export function numberArrayParam(params: Record<string, unknown>, key: string, fallback: readonly number[]): number[] {
  const v = params[key];
  return Array.isArray(v) && v.every((x) => typeof x === "number") ? v : [...fallback];
}

/** Name of class `index`, or undefined when the label order leaves it out (empty or missing). */
export function labelOf(labels: readonly string[], index: number): string | undefined {
  const name = labels[index];
  return name === undefined || name === "" ? undefined : name;
}

/** Product of all dims after the first (the batch axis). */
export function perItem(tensor: Tensor): number {
  return tensor.dims.slice(1).reduce((a, b) => a * b, 1);
}

/** Objects a detection decoder returns when its params set no `maxDetections`: enough for crowds. */
export const DEFAULT_MAX_DETECTIONS = 300;

/** The `maxDetections` param, as every built-in detection decoder documents it. */
export const maxDetectionsParam = {
  type: "integer",
  minimum: 1,
  description:
    `Most objects returned, the most probable first (default ${DEFAULT_MAX_DETECTIONS}); ` +
    "how many more were found is reported as `_objects_dropped`.",
} as const;

/**
 * NMS in model-input pixels, then naming by label order, capping at `maxDetections` and mapping to root
 * pixels. The cap applies to named objects only, and what it cuts is counted in `dropped`, never hidden.
 */
export function finishDetections(
  input: DecoderInput,
  candidates: readonly Candidate[],
  params: Record<string, unknown>,
  defaults: { iou: number; classAgnostic?: boolean },
): Extract<TaskPrediction, { type: "detection" }> {
  const kept = nms(candidates, numberParam(params, "iou", defaults.iou), {
    classAgnostic: defaults.classAgnostic ?? boolParam(params, "classAgnostic", false),
  });
  const max = numberParam(params, "maxDetections", DEFAULT_MAX_DETECTIONS);
  const objects: DetectedObject[] = [];
  let dropped = 0;
  for (const c of kept) {
    const name = labelOf(input.labels, c.classIndex);
    if (name === undefined) continue;
    if (objects.length >= max) {
      dropped++;
      continue;
    }
    objects.push({ name, prob: c.score, bound_box: input.transform(c.box) });
  }
  return { type: "detection", result: objects, ...(dropped > 0 ? { dropped } : {}) };
}
