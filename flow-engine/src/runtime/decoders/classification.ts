/** Decoders for categorization, tagging and regression heads: softmax, sigmoid, identity, regression. */
import type { DecoderDefinition, DecoderInput, LabelProb, TaskPrediction } from "@vizflow/sdk";
import { labelOf, numberParam, pickOutput } from "./common.js";

const outputParam = {
  type: "string",
  minLength: 1,
  description: "Name of the model output to read (default: the first output).",
};

const topKParam = {
  type: "integer",
  minimum: 1,
  description: "Keep only the K most probable labels in the result (default: all).",
};

const thresholdParam = {
  type: "number",
  minimum: 0,
  maximum: 1,
  description: "Tagging: labels with a probability at or above this are returned (default 0.5).",
};

function softmax(values: Float32Array): Float64Array {
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) if (v > max) max = v;
  const out = new Float64Array(values.length);
  let sum = 0;
  for (let i = 0; i < values.length; i++) {
    const e = Math.exp((values[i] as number) - max);
    out[i] = e;
    sum += e;
  }
  for (let i = 0; i < out.length; i++) out[i] = (out[i] as number) / sum;
  return out;
}

function sigmoid(values: Float32Array): Float64Array {
  return Float64Array.from(values, (v) => 1 / (1 + Math.exp(-v)));
}

/** Labelled probabilities, best first; classes the label order leaves out are dropped. */
function rank(probs: ArrayLike<number>, labels: readonly string[]): LabelProb[] {
  const ranked: LabelProb[] = [];
  for (let i = 0; i < probs.length; i++) {
    const name = labelOf(labels, i);
    if (name !== undefined) ranked.push({ name, prob: probs[i] as number });
  }
  return ranked.sort((a, b) => b.prob - a.prob);
}

/** Builds the prediction the task type asks for from per-class probabilities. */
function classPrediction(input: DecoderInput, probs: ArrayLike<number>): TaskPrediction {
  const ranked = rank(probs, input.labels);
  const topK = numberParam(input.params, "topK", ranked.length);
  switch (input.taskType) {
    case "categorization": {
      const best = ranked[0];
      if (best === undefined) throw new Error("the model output has no labelled class");
      return { type: "categorization", result: { best_label: best, labels: ranked.slice(0, topK) } };
    }
    case "tagging": {
      const threshold = numberParam(input.params, "threshold", 0.5);
      return { type: "tagging", result: { labels: ranked.filter((l) => l.prob >= threshold).slice(0, topK) } };
    }
    case "regression":
    case "detection":
      throw new Error(`a class-probability decoder cannot produce a ${input.taskType} result`);
  }
}

export const softmaxDecoder: DecoderDefinition = {
  id: "softmax",
  title: "Softmax (single label)",
  params: {
    type: "object",
    properties: { output: outputParam, topK: topKParam, threshold: thresholdParam },
    additionalProperties: false,
  },
  taskTypes: ["categorization", "tagging"],
  decode: (input) => classPrediction(input, softmax(pickOutput(input).data)),
};

export const sigmoidDecoder: DecoderDefinition = {
  id: "sigmoid",
  title: "Sigmoid (multi-label)",
  params: {
    type: "object",
    properties: { output: outputParam, topK: topKParam, threshold: thresholdParam },
    additionalProperties: false,
  },
  taskTypes: ["tagging", "categorization"],
  decode: (input) => classPrediction(input, sigmoid(pickOutput(input).data)),
};

/** Outputs that already are probabilities (a softmax or sigmoid inside the model), or a raw value. */
export const identityDecoder: DecoderDefinition = {
  id: "identity",
  title: "Identity (outputs are already probabilities or the value)",
  params: {
    type: "object",
    properties: { output: outputParam, topK: topKParam, threshold: thresholdParam },
    additionalProperties: false,
  },
  taskTypes: ["categorization", "tagging", "regression"],
  decode: (input) => {
    const data = pickOutput(input).data;
    if (input.taskType !== "regression") return classPrediction(input, data);
    const value = data[0];
    if (value === undefined) throw new Error("the model output is empty");
    return { type: "regression", result: value };
  },
};

export const regressionDecoder: DecoderDefinition = {
  id: "regression",
  title: "Regression (value * scale + offset)",
  params: {
    type: "object",
    properties: {
      output: outputParam,
      index: { type: "integer", minimum: 0, description: "Which value of the output to read (default 0)." },
      scale: { type: "number", description: "Multiplier applied to the raw value (default 1)." },
      offset: { type: "number", description: "Added after scaling (default 0)." },
    },
    additionalProperties: false,
  },
  taskTypes: ["regression"],
  decode: (input) => {
    const data = pickOutput(input).data;
    const index = numberParam(input.params, "index", 0);
    const raw = data[index];
    if (raw === undefined) throw new Error(`the model output has ${data.length} values, no index ${index}`);
    const value = raw * numberParam(input.params, "scale", 1) + numberParam(input.params, "offset", 0);
    return { type: "regression", result: value };
  },
};
