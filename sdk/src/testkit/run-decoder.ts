/** Runs one decoder on model outputs the way the engine does, checking its params and its prediction. */
import type { DecoderDefinition, Tensor } from "../action.js";
import { checkDecodedPrediction } from "../prediction-checks.js";
import type { BoundingBox, TaskPrediction, TaskType } from "../records.js";
import { checkAgainstSchema } from "../validation/schema-cache.js";

export interface RunDecoderOptions {
  /** The model's outputs by name, as the engine hands them over. */
  outputs: Record<string, Tensor>;
  /** The adapter's `decoder.params` (default `{}`), checked against the decoder's params schema. */
  params?: Record<string, unknown>;
  /** The task's labels (default none). */
  labels?: readonly string[];
  /** The task type decoded for (default: the decoder's first). */
  taskType?: TaskType;
  /** Size of the model input (default 1 x 1). */
  inputWidth?: number;
  inputHeight?: number;
  /** Model-input pixels to original-image pixels (default: the same). */
  transform?: (box: BoundingBox) => BoundingBox;
}

/** A decoder was used outside its own contract: params its schema refuses, or a task type it does not decode. */
export class DecoderContractError extends Error {
  constructor(
    readonly decoder: string,
    readonly problems: readonly string[],
  ) {
    super(`decoder "${decoder}": ${problems.join("; ")}`);
    this.name = "DecoderContractError";
  }
}

/**
 * Runs `decoder` once and returns its prediction, after checking the params against its schema and the task
 * type against its `taskTypes`. The prediction gets the engine's output checks: a non-finite number, a `prob`
 * outside 0..1 or an inverted box throws `InvalidPredictionError` (code `invalid_prediction`).
 *
 * @example
 * const prediction = runDecoder(gridBoxes, { outputs: { boxes: { dims: [1, 4], data } }, params: { threshold: 0.5 } });
 * expect(prediction).toEqual({ type: "detection", result: [...] });
 */
export function runDecoder(decoder: DecoderDefinition, options: RunDecoderOptions): TaskPrediction {
  const params = options.params ?? {};
  const taskType = options.taskType ?? decoder.taskTypes[0];
  const problems = checkAgainstSchema(decoder.params, params, "the params").map((p) =>
    p.path === "" ? p.message : `params ${p.message}`,
  );
  if (taskType === undefined) problems.push("it names no task types");
  else if (!decoder.taskTypes.includes(taskType)) {
    problems.push(`it decodes ${decoder.taskTypes.join(" or ")} results, not ${taskType}`);
  }
  if (problems.length > 0 || taskType === undefined) throw new DecoderContractError(decoder.id, problems);
  const prediction = decoder.decode({
    outputs: options.outputs,
    params,
    labels: options.labels ?? [],
    taskType,
    transform: options.transform ?? ((box) => box),
    inputWidth: options.inputWidth ?? 1,
    inputHeight: options.inputHeight ?? 1,
  });
  return checkDecodedPrediction(prediction, `decoder "${decoder.id}"`);
}
