/** Face services: detection (UltraFace RFB-320) writing `face` objects, and a facial expression classifier. */
import type { Tensor } from "@vizflow/sdk";
import { defineAction, definePlugin } from "@vizflow/sdk";

import { MODEL_FILES } from "./models.js";
import { decodeFaces, INPUT_HEIGHT, INPUT_WIDTH } from "./ultraface.js";

export { MODEL_FILES } from "./models.js";
export { decodeFaces, iou, nms, type FaceBox } from "./ultraface.js";

export type DetectFacesConfig = {
  /** Minimum face probability (default 0.7). */
  minProb?: number;
  /** Overlap above which the less probable of two faces is dropped (default 0.3). */
  iou?: number;
  /** Most faces returned, most probable first (default 50). */
  maxFaces?: number;
  /** Field the number of faces is written under (default `face_count`). */
  output?: string;
};

export type ExpressionConfig = {
  /** Field the expression is written under (default `expression`). */
  output?: string;
};

/** The classifier's classes, in its output order. */
export const EXPRESSIONS = ["angry", "disgust", "fear", "happy", "sad", "surprise", "neutral"] as const;

const round = (value: number, digits = 4) => Number(value.toFixed(digits));

function floats(outputs: Record<string, Tensor>, name: string, model: string): Float32Array {
  const tensor = outputs[name];
  if (!tensor || !(tensor.data instanceof Float32Array))
    throw new Error(`${model} returned no float32 "${name}" output`);
  return tensor.data;
}

export const detectFaces = defineAction<DetectFacesConfig>({
  id: "detect",
  version: 1,
  title: "Face detection",
  description:
    "Finds faces (UltraFace RFB-320) and returns each as a `face` object; children of Each face run on its crop.",
  category: "Services",
  icon: "scan-face",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      minProb: { type: "number", title: "Minimum probability", minimum: 0, maximum: 1, default: 0.7 },
      iou: { type: "number", title: "Overlap threshold", minimum: 0, maximum: 1, default: 0.3 },
      maxFaces: { type: "integer", title: "Maximum faces", minimum: 1, maximum: 1000, default: 50 },
      output: { type: "string", title: "Count field", pattern: "^[A-Za-z][A-Za-z0-9_]*$", default: "face_count" },
    },
  },
  handles: [
    { id: "next", label: "Next" },
    { id: "objects", label: "Each face", fanOut: "objects" },
  ],
  writes: (config) => ({
    type: "object",
    properties: { [config.output ?? "face_count"]: { type: "integer", minimum: 0, description: "Faces found." } },
  }),
  credits: 1,
  service: true,
  async run(ctx, _scope, config) {
    const { tensor, transform } = await ctx.image.toTensor({
      width: INPUT_WIDTH,
      height: INPUT_HEIGHT,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
      scale: 1,
      mean: [127],
      std: [128],
    });
    const outputs = await ctx.models.run({ path: MODEL_FILES.detector }, { input: tensor });
    const faces = decodeFaces(
      floats(outputs, "scores", "the face detector"),
      floats(outputs, "boxes", "the face detector"),
      config.minProb ?? 0.7,
      config.iou ?? 0.3,
    ).slice(0, config.maxFaces ?? 50);
    const objects = faces.map((face) => {
      const [x0, y0, x1, y1] = face.box;
      const box = transform([x0 * INPUT_WIDTH, y0 * INPUT_HEIGHT, x1 * INPUT_WIDTH, y1 * INPUT_HEIGHT]);
      // Clamped to the scope: a face cut by the image edge is still a face, its crop must lie inside.
      const [sx0, sy0, sx1, sy1] = ctx.image.box;
      const clamp = (v: number, lo: number, hi: number) => round(Math.min(Math.max(v, lo), hi), 1);
      return {
        name: "face",
        prob: round(face.prob),
        bound_box: [
          clamp(box[0], sx0, sx1),
          clamp(box[1], sy0, sy1),
          clamp(box[2], sx0, sx1),
          clamp(box[3], sy0, sy1),
        ] as [number, number, number, number],
      };
    });
    return { write: { [config.output ?? "face_count"]: objects.length }, objects };
  },
});

export const expression = defineAction<ExpressionConfig>({
  id: "expression",
  version: 1,
  title: "Facial expression",
  description: `Classifies the expression of a face (${EXPRESSIONS.join(", ")}); run it on each face of Face detection.`,
  category: "Services",
  icon: "smile",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      output: { type: "string", title: "Output field", pattern: "^[A-Za-z][A-Za-z0-9_]*$", default: "expression" },
    },
  },
  handles: [{ id: "next", label: "Next" }],
  writes: (config) => ({
    type: "object",
    properties: {
      [config.output ?? "expression"]: {
        type: "object",
        required: ["best_label", "labels"],
        properties: {
          best_label: {
            type: "object",
            properties: { name: { type: "string", enum: [...EXPRESSIONS] }, prob: { type: "number" } },
          },
          labels: {
            type: "array",
            items: { type: "object", properties: { name: { type: "string" }, prob: { type: "number" } } },
          },
        },
      },
    },
  }),
  credits: 1,
  service: true,
  async run(ctx, _scope, config) {
    const { tensor } = await ctx.image.toTensor({
      width: 224,
      height: 224,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
    });
    const logits = floats(
      await ctx.models.run({ path: MODEL_FILES.expression }, { input: tensor }),
      "output",
      "the expression classifier",
    );
    const max = Math.max(...logits);
    const exps = Array.from(logits, (v) => Math.exp(v - max));
    const sum = exps.reduce((a, b) => a + b, 0);
    const labels = EXPRESSIONS.map((name, i) => ({ name, prob: round((exps[i] ?? 0) / sum) })).sort(
      (a, b) => b.prob - a.prob,
    );
    return { write: { [config.output ?? "expression"]: { best_label: labels[0], labels } } };
  },
});

export default definePlugin({
  name: "faces",
  title: "Faces",
  description: "Face detection and facial expression, with models shipped in faceplugin-face-recognition-js.",
  actions: [detectFaces, expression],
});
