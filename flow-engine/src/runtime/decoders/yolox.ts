/**
 * YOLOX heads: rows of [x, y, w, h, obj, cls...] over grid cells of strides 8, 16, 32 (row-major),
 * as the official export emits them without decoding. Boxes come out in model-input pixels and go
 * through the preprocessing's inverse (the letterbox ratio) to root pixels. Two rules pick the candidates:
 * `per-class` (every class over the threshold, NMS per class) and `reference`, YOLOX's demo
 * (`demo_utils.multiclass_nms`, class-agnostic by default: each cell's best class, NMS across classes).
 */
import type { DecoderDefinition, DecoderInput, TaskPrediction } from "@vizflow/sdk";
import {
  boolParam,
  finishDetections,
  maxDetectionsParam,
  numberArrayParam,
  numberParam,
  pickOutput,
} from "./common.js";
import type { Candidate } from "./nms.js";

interface GridCell {
  gx: number;
  gy: number;
  stride: number;
}

const gridCache = new Map<string, GridCell[]>();

function grid(strides: readonly number[], width: number, height: number): GridCell[] {
  const key = `${strides.join(",")}:${width}x${height}`;
  const cached = gridCache.get(key);
  if (cached) return cached;
  const cells: GridCell[] = [];
  for (const stride of strides) {
    const gw = Math.floor(width / stride);
    const gh = Math.floor(height / stride);
    for (let gy = 0; gy < gh; gy++) for (let gx = 0; gx < gw; gx++) cells.push({ gx, gy, stride });
  }
  gridCache.set(key, cells);
  return cells;
}

function decode(input: DecoderInput): TaskPrediction {
  const { params } = input;
  const out = pickOutput(input);
  const rowLength = out.dims[out.dims.length - 1] ?? 0;
  if (rowLength < 6) throw new Error(`YOLOX output rows have ${rowLength} values, need 5 + classes`);
  const rows = out.data.length / rowLength;
  const classes = rowLength - 5;
  const decoded = boolParam(params, "decoded", false);
  const cells = decoded
    ? []
    : grid(numberArrayParam(params, "strides", [8, 16, 32]), input.inputWidth, input.inputHeight);
  if (!decoded && cells.length !== rows) {
    throw new Error(
      `the output has ${rows} rows, the grid of a ${input.inputWidth}x${input.inputHeight} input has ${cells.length}`,
    );
  }
  const threshold = numberParam(params, "threshold", 0.3);
  const reference = params["rule"] === "reference";
  const d = out.data;
  const candidates: Candidate[] = [];
  for (let i = 0; i < rows; i++) {
    const o = i * rowLength;
    const obj = d[o + 4] as number;
    if (obj <= threshold) continue; // cls <= 1, so obj * cls cannot pass
    let box: [number, number, number, number] | undefined;
    const boxOf = (): [number, number, number, number] => {
      if (box) return box;
      let cx = d[o] as number;
      let cy = d[o + 1] as number;
      let w = d[o + 2] as number;
      let h = d[o + 3] as number;
      const cell = cells[i];
      if (cell) {
        cx = (cx + cell.gx) * cell.stride;
        cy = (cy + cell.gy) * cell.stride;
        w = Math.exp(w) * cell.stride;
        h = Math.exp(h) * cell.stride;
      }
      return (box = [cx - w / 2, cy - h / 2, cx + w / 2, cy + h / 2]);
    };
    if (reference) {
      // The demo's rule: the cell's best class alone (first on ties, as argmax), if it passes.
      let best = 0;
      for (let c = 1; c < classes; c++) if ((d[o + 5 + c] as number) > (d[o + 5 + best] as number)) best = c;
      const score = obj * (d[o + 5 + best] as number);
      if (score > threshold) candidates.push({ box: boxOf(), score, classIndex: best });
      continue;
    }
    for (let c = 0; c < classes; c++) {
      const score = obj * (d[o + 5 + c] as number);
      if (score > threshold) candidates.push({ box: boxOf(), score, classIndex: c });
    }
  }
  return finishDetections(input, candidates, params, { iou: 0.45, ...(reference ? { classAgnostic: true } : {}) });
}

export const yoloxDecoder: DecoderDefinition = {
  id: "yolox",
  title: "YOLOX (anchor-free grid, obj x cls)",
  params: {
    type: "object",
    properties: {
      output: { type: "string", minLength: 1, description: "Output with rows [1,N,5+C] (default: the first output)." },
      threshold: { type: "number", minimum: 0, maximum: 1, description: "Minimum obj x cls score (default 0.3)." },
      iou: { type: "number", minimum: 0, maximum: 1, description: "NMS IoU threshold (default 0.45)." },
      rule: {
        enum: ["per-class", "reference"],
        description:
          "per-class (default): every class over the threshold in a cell is a candidate, NMS per class; " +
          "reference: as YOLOX's own demo (multiclass_nms), only each cell's best class, NMS across classes.",
      },
      classAgnostic: {
        type: "boolean",
        description: "With the per-class rule, NMS across classes instead of per class (default false).",
      },
      maxDetections: maxDetectionsParam,
      strides: {
        type: "array",
        items: { type: "integer", minimum: 1 },
        minItems: 1,
        description: "Grid strides, in row order (default [8, 16, 32]).",
      },
      decoded: {
        type: "boolean",
        description: "Rows already hold input-pixel cx, cy, w, h (exported with decode_in_inference).",
      },
    },
    additionalProperties: false,
  },
  taskTypes: ["detection"],
  decode,
};
