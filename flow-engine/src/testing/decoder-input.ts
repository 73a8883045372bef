import type { BoundingBox, DecoderInput, Tensor, TaskType } from "@vizflow/sdk";

/** A DecoderInput with float outputs; the transform doubles coordinates and shifts them by 100 (a fake crop). */
export function decoderInput(
  outputs: Record<string, { values: readonly number[]; dims: readonly number[] }>,
  options: {
    params?: Record<string, unknown>;
    labels?: readonly string[];
    taskType?: TaskType;
    inputWidth?: number;
    inputHeight?: number;
    transform?: (box: BoundingBox) => BoundingBox;
  } = {},
): DecoderInput {
  const tensors: Record<string, Tensor> = {};
  for (const [name, o] of Object.entries(outputs)) tensors[name] = { data: Float32Array.from(o.values), dims: o.dims };
  return {
    outputs: tensors,
    params: options.params ?? {},
    labels: options.labels ?? ["a", "b", "c"],
    taskType: options.taskType ?? "categorization",
    transform: options.transform ?? (([a, b, c, d]) => [a * 2 + 100, b * 2 + 100, c * 2 + 100, d * 2 + 100]),
    inputWidth: options.inputWidth ?? 32,
    inputHeight: options.inputHeight ?? 32,
  };
}
