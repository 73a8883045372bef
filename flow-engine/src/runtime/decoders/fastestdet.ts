/**
 * FastestDet: one output [1, 5+C, H, W]; per cell objectness, tx, ty, tw, th and class probabilities.
 * score = obj^0.6 * cls^0.4; the box centre is the cell plus tanh offsets, its size a sigmoid of the input.
 */
import type { DecoderDefinition, DecoderInput, TaskPrediction } from "@vizflow/sdk";
import { finishDetections, maxDetectionsParam, numberParam, pickOutput } from "./common.js";
import type { Candidate } from "./nms.js";

function decode(input: DecoderInput): TaskPrediction {
  const { params } = input;
  const out = pickOutput(input);
  const [, channels = 0, gh = 0, gw = 0] = out.dims.length === 4 ? out.dims : [1, ...out.dims];
  if (channels < 6 || gh < 1 || gw < 1) {
    throw new Error(`FastestDet output [${out.dims.join(",")}] is not [1, 5+classes, rows, columns]`);
  }
  const classes = channels - 5;
  const plane = gh * gw;
  const d = out.data;
  const threshold = numberParam(params, "threshold", 0.65);
  const W = input.inputWidth;
  const H = input.inputHeight;
  const candidates: Candidate[] = [];
  for (let row = 0; row < gh; row++) {
    for (let col = 0; col < gw; col++) {
      const cell = row * gw + col;
      const obj = d[cell] as number;
      let best = 0;
      let bestClass = 0;
      for (let c = 0; c < classes; c++) {
        const p = d[(5 + c) * plane + cell] as number;
        if (p > best) [best, bestClass] = [p, c];
      }
      const score = Math.pow(obj, 0.6) * Math.pow(best, 0.4);
      if (!(score > threshold)) continue;
      const cx = (col + Math.tanh(d[plane + cell] as number)) / gw;
      const cy = (row + Math.tanh(d[2 * plane + cell] as number)) / gh;
      const w = 1 / (1 + Math.exp(-(d[3 * plane + cell] as number)));
      const h = 1 / (1 + Math.exp(-(d[4 * plane + cell] as number)));
      candidates.push({
        box: [(cx - w / 2) * W, (cy - h / 2) * H, (cx + w / 2) * W, (cy + h / 2) * H],
        score,
        classIndex: bestClass,
      });
    }
  }
  return finishDetections(input, candidates, params, { iou: 0.45 });
}

export const fastestDetDecoder: DecoderDefinition = {
  id: "fastestdet",
  title: "FastestDet (single-scale grid)",
  params: {
    type: "object",
    properties: {
      output: { type: "string", minLength: 1, description: "Output [1,5+C,H,W] (default: the first output)." },
      threshold: { type: "number", minimum: 0, maximum: 1, description: "Minimum score (default 0.65)." },
      iou: { type: "number", minimum: 0, maximum: 1, description: "NMS IoU threshold (default 0.45)." },
      classAgnostic: { type: "boolean", description: "NMS across classes instead of per class (default false)." },
      maxDetections: maxDetectionsParam,
    },
    additionalProperties: false,
  },
  taskTypes: ["detection"],
  decode,
};
