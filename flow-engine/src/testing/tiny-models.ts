/**
 * Tiny ONNX models for tests, built in memory. Their outputs depend on the input image in simple,
 * predictable ways, so a test can assert what a real model run must give.
 */
import { buildOnnxModel, type OnnxDim, type OnnxNode, type OnnxInitializer } from "./onnx-builder.js";

export interface TinyModelOptions {
  /** Input side in pixels (square); default 8. */
  size?: number;
  /** A symbolic batch axis (`"batch"`) instead of a fixed batch of 1. */
  dynamicBatch?: boolean;
}

function batchDim(options: TinyModelOptions): OnnxDim {
  return options.dynamicBatch ? "batch" : 1;
}

/** The adapter that feeds `colourClassifierModel` (8x8 RGB, softmax over red, green, blue), as uploads send it. */
export const COLOUR_CLASSIFIER_ADAPTER = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
} as const;

/**
 * Classifier over the image's mean colour: input `input` [N,3,S,S], output `logits` [N,3] =
 * 10 * mean(channel c). With scale 1/255, a red image predicts label 0, green 1, blue 2.
 */
export function colourClassifierModel(options: TinyModelOptions = {}): Uint8Array {
  const size = options.size ?? 8;
  const n = batchDim(options);
  return buildOnnxModel({
    inputs: [{ name: "input", dims: [n, 3, size, size] }],
    outputs: [{ name: "logits", dims: [n, 3] }],
    initializers: [
      { name: "W", dims: [3, 3], values: [10, 0, 0, 0, 10, 0, 0, 0, 10] },
      { name: "B", dims: [3], values: [0, 0, 0] },
    ],
    nodes: [
      { op: "ReduceMean", inputs: ["input"], outputs: ["mean"], attributes: { axes: [2, 3], keepdims: 0 } },
      { op: "MatMul", inputs: ["mean", "W"], outputs: ["mm"] },
      { op: "Add", inputs: ["mm", "B"], outputs: ["logits"] },
    ],
  });
}

/** Regression: input `input` [N,3,S,S] (or NHWC when `nhwc`), output `value` [N,1] = mean of all input values. */
export function meanRegressionModel(options: TinyModelOptions & { nhwc?: boolean } = {}): Uint8Array {
  const size = options.size ?? 8;
  const n = batchDim(options);
  return buildOnnxModel({
    inputs: [{ name: "input", dims: options.nhwc ? [n, size, size, 3] : [n, 3, size, size] }],
    outputs: [{ name: "value", dims: [n, 1] }],
    initializers: [{ name: "shape", dims: [2], values: [-1, 1], type: 7 }],
    nodes: [
      { op: "ReduceMean", inputs: ["input"], outputs: ["m"], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: "Reshape", inputs: ["m", "shape"], outputs: ["value"] },
    ],
  });
}

/**
 * Nodes that add `constant` (dims [1, ...rest]) to 0 * mean(input), so the output has the input's batch
 * size and the graph really reads its input.
 */
function constantOutput(
  input: string,
  output: string,
  constant: { dims: readonly number[]; values: readonly number[] },
): { nodes: OnnxNode[]; initializers: OnnxInitializer[] } {
  const rank = constant.dims.length;
  const shape = [-1, ...Array<number>(rank - 1).fill(1)];
  return {
    initializers: [
      { name: `${output}_const`, dims: constant.dims, values: constant.values },
      { name: `${output}_zero`, dims: [1], values: [0] },
      { name: `${output}_shape`, dims: [rank], values: shape, type: 7 },
    ],
    nodes: [
      { op: "ReduceMean", inputs: [input], outputs: [`${output}_m`], attributes: { axes: [1, 2, 3], keepdims: 1 } },
      { op: "Reshape", inputs: [`${output}_m`, `${output}_shape`], outputs: [`${output}_r`] },
      { op: "Mul", inputs: [`${output}_r`, `${output}_zero`], outputs: [`${output}_z`] },
      { op: "Add", inputs: [`${output}_z`, `${output}_const`], outputs: [output] },
    ],
  };
}

/** An SSD-style detector with fixed outputs `scores` [N,P,C] and `boxes` [N,P,4] whatever the image. */
export function fixedSsdModel(
  scores: readonly (readonly number[])[],
  boxes: readonly (readonly number[])[],
  options: TinyModelOptions & { width?: number; height?: number } = {},
): Uint8Array {
  const n = batchDim(options);
  const p = scores.length;
  const c = scores[0]?.length ?? 0;
  const s = constantOutput("input", "scores", { dims: [1, p, c], values: scores.flat() });
  const b = constantOutput("input", "boxes", { dims: [1, p, 4], values: boxes.flat() });
  return buildOnnxModel({
    inputs: [{ name: "input", dims: [n, 3, options.height ?? 8, options.width ?? 8] }],
    outputs: [
      { name: "scores", dims: [n, p, c] },
      { name: "boxes", dims: [n, p, 4] },
    ],
    initializers: [...s.initializers, ...b.initializers],
    nodes: [...s.nodes, ...b.nodes],
  });
}

/** A detector with one fixed output `output` of dims [1, ...rest] (YOLOX rows, FastestDet maps). */
export function fixedOutputModel(
  output: { dims: readonly number[]; values: readonly number[] },
  options: TinyModelOptions & { width?: number; height?: number; inputName?: string; outputName?: string } = {},
): Uint8Array {
  const n = batchDim(options);
  const inputName = options.inputName ?? "images";
  const outputName = options.outputName ?? "output";
  const o = constantOutput(inputName, outputName, output);
  return buildOnnxModel({
    inputs: [{ name: inputName, dims: [n, 3, options.height ?? 32, options.width ?? 32] }],
    outputs: [{ name: outputName, dims: [n, ...output.dims.slice(1)] }],
    initializers: o.initializers,
    nodes: o.nodes,
  });
}
