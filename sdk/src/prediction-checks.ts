/**
 * What an action or a decoder predicts is checked before it reaches callers: numbers are finite,
 * probabilities (`prob`) lie in 0..1, boxes are `[xmin, ymin, xmax, ymax]` with xmin <= xmax and ymin <= ymax.
 * Anything else is an `invalid_prediction` error naming what was wrong. Boxes are then clamped to the image,
 * and an object entirely outside it is dropped (no crop, no children, no credits for them).
 * Here in the SDK so the engine and the test kit apply the same checks.
 */
import type { BoundingBox, DetectedObject, TaskPrediction } from "./records.js";

/** A prediction that breaks the rules above; `code` is the node error's code. */
export class InvalidPredictionError extends Error {
  readonly code = "invalid_prediction";
  constructor(message: string) {
    super(message);
    this.name = "InvalidPredictionError";
  }
}

/** Float32 softmax outputs may sum a hair over 1; that is no bug of the plugin's. */
const PROB_TOLERANCE = 1e-6;

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function join(path: string, key: string | number): string {
  return typeof key === "number" ? `${path}[${key}]` : path === "" ? key : `${path}.${key}`;
}

function boxProblem(box: unknown): string | undefined {
  if (!Array.isArray(box) || box.length !== 4) return "is not a box [xmin, ymin, xmax, ymax]";
  const [xmin, ymin, xmax, ymax] = box as unknown[];
  if (![xmin, ymin, xmax, ymax].every((n) => typeof n === "number" && Number.isFinite(n))) {
    return `is [${box.map((n) => String(n)).join(", ")}]; every coordinate must be a finite number`;
  }
  if ((xmin as number) > (xmax as number) || (ymin as number) > (ymax as number)) {
    return `is [${box.join(", ")}], which is inverted (xmin must be <= xmax and ymin <= ymax)`;
  }
  return undefined;
}

/**
 * Every problem with the numbers of a written value (fields, objects, labels), as `path: what`: non-finite
 * numbers, a `prob` outside 0..1, a `bound_box` that is not finite or is inverted.
 */
export function predictionProblems(value: unknown, path = ""): string[] {
  if (typeof value === "number") {
    return Number.isFinite(value) ? [] : [`${path || "the value"} is ${String(value)}, not a finite number`];
  }
  if (Array.isArray(value)) return value.flatMap((item: unknown, i) => predictionProblems(item, join(path, i)));
  if (!isRecord(value)) return [];
  const problems: string[] = [];
  for (const [key, item] of Object.entries(value)) {
    const at = join(path, key);
    if (key === "bound_box") {
      const problem = boxProblem(item);
      if (problem !== undefined) problems.push(`${at} ${problem}`);
      continue;
    }
    if (
      key === "prob" &&
      typeof item === "number" &&
      Number.isFinite(item) &&
      (item < -PROB_TOLERANCE || item > 1 + PROB_TOLERANCE)
    ) {
      problems.push(`${at} is ${item}; a probability must be within 0..1`);
      continue;
    }
    problems.push(...predictionProblems(item, at));
  }
  return problems;
}

/** Throws InvalidPredictionError listing every problem `predictionProblems` finds in `value`; `who` starts the message. */
export function assertValidPrediction(value: unknown, who: string, path = ""): void {
  const problems = predictionProblems(value, path);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 5).join("; ");
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
  const text = `returned an invalid prediction: ${shown}${more}`;
  throw new InvalidPredictionError(who === "" ? text : `${who} ${text}`);
}

/** A decoder's prediction, checked; `who` names the decoder and its plugin. */
export function checkDecodedPrediction(prediction: TaskPrediction, who: string): TaskPrediction {
  if (!isRecord(prediction)) throw new InvalidPredictionError(`${who} returned something that is not a prediction`);
  assertValidPrediction(prediction.result, who, "result");
  return prediction;
}

/**
 * `box` clamped to a `width` x `height` image; undefined when it lies entirely outside (an empty box inside the
 * image stays, and its crop fails with its own message).
 */
export function clampBox(box: BoundingBox, width: number, height: number): BoundingBox | undefined {
  if (box[2] <= 0 || box[3] <= 0 || box[0] >= width || box[1] >= height) return undefined;
  return [
    Math.min(Math.max(box[0], 0), width),
    Math.min(Math.max(box[1], 0), height),
    Math.min(Math.max(box[2], 0), width),
    Math.min(Math.max(box[3], 0), height),
  ];
}

/**
 * Clamps the boxes of `objects` (in place: the same objects may be listed in several places) and returns
 * those entirely outside the image.
 */
export function clampObjects(objects: readonly DetectedObject[], width: number, height: number): Set<DetectedObject> {
  const outside = new Set<DetectedObject>();
  for (const object of objects) {
    const clamped = clampBox(object.bound_box, width, height);
    if (clamped === undefined) outside.add(object);
    else object.bound_box = clamped;
  }
  return outside;
}
