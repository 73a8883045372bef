/**
 * SSD-style detectors with `scores` [1,P,C] and `boxes` [1,P,4] outputs (UltraFace and friends).
 * Boxes are corners normalised to the model input, or raw SSD offsets decoded against priors
 * (UltraFace's `_without_postprocessing` export).
 */
import type { DecoderDefinition, DecoderInput, TaskPrediction } from "@vizflow/sdk";
import { boolParam, finishDetections, maxDetectionsParam, numberParam, pickOutput } from "./common.js";
import type { Candidate } from "./nms.js";

export interface PriorSpec {
  /** Stride of each feature map in input pixels, e.g. [8, 16, 32, 64]. */
  strides: readonly number[];
  /** Prior box sizes in input pixels per feature map, e.g. [[10,16,24],[32,48],[64,96],[128,192,256]]. */
  minSizes: readonly (readonly number[])[];
  /** [width, height] per feature map; default ceil(input / stride). */
  featureMaps?: readonly (readonly [number, number])[];
  /** Centre and size variances (default [0.1, 0.2]). */
  variances?: readonly [number, number];
  /** Clamp priors to 0..1 (default true, as UltraFace does). */
  clip?: boolean;
}

const priorCache = new Map<string, Float32Array>();

/** Priors (cx, cy, w, h normalised), in the order the SSD head emits them: map, row, column, size. */
export function ssdPriors(spec: PriorSpec, inputWidth: number, inputHeight: number): Float32Array {
  const key = JSON.stringify([spec, inputWidth, inputHeight]);
  const cached = priorCache.get(key);
  if (cached) return cached;
  const values: number[] = [];
  spec.strides.forEach((stride, k) => {
    const [fw, fh] = spec.featureMaps?.[k] ?? [Math.ceil(inputWidth / stride), Math.ceil(inputHeight / stride)];
    const scaleW = inputWidth / stride;
    const scaleH = inputHeight / stride;
    const sizes = spec.minSizes[k] ?? [];
    for (let j = 0; j < fh; j++) {
      for (let i = 0; i < fw; i++) {
        for (const size of sizes)
          values.push((i + 0.5) / scaleW, (j + 0.5) / scaleH, size / inputWidth, size / inputHeight);
      }
    }
  });
  const priors = Float32Array.from(values, (v) => (spec.clip === false ? v : Math.min(1, Math.max(0, v))));
  priorCache.set(key, priors);
  return priors;
}

function readPriorSpec(value: unknown): PriorSpec | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  return value as PriorSpec;
}

function decode(input: DecoderInput): TaskPrediction {
  const { params } = input;
  const scores = pickOutput(input, "scores", { name: "scores", index: 0 });
  const boxes = pickOutput(input, "boxes", { name: "boxes", index: 1 });
  const p = boxes.data.length / 4;
  const classes = scores.data.length / p;
  if (!Number.isInteger(p) || !Number.isInteger(classes) || classes < 1) {
    throw new Error(
      `scores [${scores.dims.join(",")}] and boxes [${boxes.dims.join(",")}] do not describe the same boxes`,
    );
  }
  const priorSpec = readPriorSpec(params["priors"]);
  const priors = priorSpec ? ssdPriors(priorSpec, input.inputWidth, input.inputHeight) : undefined;
  if (priors && priors.length !== p * 4) {
    throw new Error(`the prior spec gives ${priors.length / 4} priors, the model ${p} boxes`);
  }
  const [v0, v1] = priorSpec?.variances ?? [0.1, 0.2];
  const threshold = numberParam(params, "threshold", 0.5);
  const background = numberParam(params, "backgroundClass", 0);
  const softmax = boolParam(params, "softmax", false);
  const W = input.inputWidth;
  const H = input.inputHeight;
  const candidates: Candidate[] = [];
  const row = new Float64Array(classes);
  for (let i = 0; i < p; i++) {
    let max = Number.NEGATIVE_INFINITY;
    for (let c = 0; c < classes; c++) {
      row[c] = scores.data[i * classes + c] as number;
      if ((row[c] as number) > max) max = row[c] as number;
    }
    if (softmax) {
      let sum = 0;
      for (let c = 0; c < classes; c++) sum += row[c] = Math.exp((row[c] as number) - max);
      for (let c = 0; c < classes; c++) row[c] = (row[c] as number) / sum;
    }
    let x1 = 0;
    let y1 = 0;
    let x2 = 0;
    let y2 = 0;
    let decoded = false;
    for (let c = 0; c < classes; c++) {
      if (c === background) continue;
      const score = row[c] as number;
      if (score <= threshold) continue;
      if (!decoded) {
        const b = i * 4;
        if (priors) {
          const cx = (boxes.data[b] as number) * v0 * (priors[b + 2] as number) + (priors[b] as number);
          const cy = (boxes.data[b + 1] as number) * v0 * (priors[b + 3] as number) + (priors[b + 1] as number);
          const w = Math.exp((boxes.data[b + 2] as number) * v1) * (priors[b + 2] as number);
          const h = Math.exp((boxes.data[b + 3] as number) * v1) * (priors[b + 3] as number);
          [x1, y1, x2, y2] = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2];
        } else {
          [x1, y1, x2, y2] = [
            boxes.data[b] ?? 0,
            boxes.data[b + 1] ?? 0,
            boxes.data[b + 2] ?? 0,
            boxes.data[b + 3] ?? 0,
          ];
        }
        decoded = true;
      }
      // Labels skip the background class: with background 0, class 1 is labels[0].
      const classIndex = background >= 0 && c > background ? c - 1 : c;
      candidates.push({ box: [x1 * W, y1 * H, x2 * W, y2 * H], score, classIndex });
    }
  }
  return finishDetections(input, candidates, params, { iou: 0.45 });
}

const featureMap = { type: "array", items: { type: "integer", minimum: 1 }, minItems: 2, maxItems: 2 };

export const ssdDecoder: DecoderDefinition = {
  id: "ssd",
  title: "SSD boxes + scores (UltraFace)",
  params: {
    type: "object",
    properties: {
      scores: {
        type: "string",
        minLength: 1,
        description: "Output with class scores [1,P,C] (default: the output named scores, else the first).",
      },
      boxes: {
        type: "string",
        minLength: 1,
        description: "Output with boxes [1,P,4] (default: the output named boxes, else the second).",
      },
      threshold: { type: "number", minimum: 0, maximum: 1, description: "Minimum score (default 0.5)." },
      iou: { type: "number", minimum: 0, maximum: 1, description: "NMS IoU threshold (default 0.45)." },
      classAgnostic: { type: "boolean", description: "NMS across classes instead of per class (default false)." },
      maxDetections: maxDetectionsParam,
      backgroundClass: {
        type: "integer",
        minimum: -1,
        description: "Score column of the background class, skipped and not labelled (default 0; -1 for none).",
      },
      softmax: {
        type: "boolean",
        description: "Apply softmax to each score row (default false: already probabilities).",
      },
      priors: {
        type: "object",
        description: "Decode raw SSD offsets against priors (models exported without post-processing).",
        properties: {
          strides: { type: "array", items: { type: "number", exclusiveMinimum: 0 }, minItems: 1 },
          minSizes: { type: "array", items: { type: "array", items: { type: "number", exclusiveMinimum: 0 } } },
          featureMaps: { type: "array", items: featureMap },
          variances: { type: "array", items: { type: "number" }, minItems: 2, maxItems: 2 },
          clip: { type: "boolean" },
        },
        required: ["strides", "minSizes"],
        additionalProperties: false,
      },
    },
    additionalProperties: false,
  },
  taskTypes: ["detection"],
  decode,
};

/** Params that read UltraFace RFB/slim 320x240 exports as the recipe says. */
export const ULTRAFACE_PARAMS = {
  scores: "scores",
  boxes: "boxes",
  threshold: 0.7,
  iou: 0.3,
  backgroundClass: 0,
} as const;

/** UltraFace's SSD priors for 320x240 (feature maps 40x30, 20x15, 10x8, 5x4). */
export const ULTRAFACE_PRIORS: PriorSpec = {
  strides: [8, 16, 32, 64],
  minSizes: [
    [10, 16, 24],
    [32, 48],
    [64, 96],
    [128, 192, 256],
  ],
  variances: [0.1, 0.2],
};

/** The same for `_without_postprocessing` exports: raw offsets decoded against UltraFace's priors. */
export const ULTRAFACE_RAW_PARAMS = { ...ULTRAFACE_PARAMS, priors: ULTRAFACE_PRIORS };
