/** Helpers shared by the built-in decoders: reading outputs and params, naming labels. */
import type { DecoderInput, DetectedObject, Tensor } from "@vizflow/sdk";
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

/** NMS in model-input pixels, then mapping to root pixels and naming by label order. */
export function finishDetections(
  input: DecoderInput,
  candidates: readonly Candidate[],
  params: Record<string, unknown>,
  defaults: { iou: number },
): DetectedObject[] {
  const kept = nms(candidates, numberParam(params, "iou", defaults.iou), {
    classAgnostic: boolParam(params, "classAgnostic", false),
    maxDetections: numberParam(params, "maxDetections", 100),
  });
  const objects: DetectedObject[] = [];
  for (const c of kept) {
    const name = labelOf(input.labels, c.classIndex);
    if (name === undefined) continue;
    objects.push({ name, prob: c.score, bound_box: input.transform(c.box) });
  }
  return objects;
}
