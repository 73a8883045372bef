/**
 * The model adapter: how to feed a model version and read its outputs. Stored with each model
 * version; its JSON Schema drives the upload form and validates uploads.
 */
import { Ajv2020 } from "ajv/dist/2020.js";
import type { JsonSchema, TaskType } from "@vizflow/sdk";
import type { DecoderRegistry } from "./decoders/registry.js";
import { INTERPOLATIONS, type Interpolation, type TensorSpec } from "./image/preprocess.js";

export interface ModelAdapter {
  /** Name of the model's image input. */
  input: string;
  /** Model input size in pixels. */
  width: number;
  height: number;
  resize: "stretch" | "letterbox" | "center-crop";
  /** `center-crop` only: crop side / resized side (default 0.875, i.e. resize to 256, crop 224). */
  cropRatio?: number;
  colorOrder: "RGB" | "BGR" | "GRAY";
  layout: "NCHW" | "NHWC";
  /** value = (px * scale - mean[c]) / std[c]; defaults: scale 1/255, mean 0, std 1. */
  scale?: number;
  mean?: readonly number[];
  std?: readonly number[];
  /** Letterbox padding in px (default 114). */
  padValue?: number;
  /** Resampling (default `bilinear`: OpenCV's INTER_LINEAR). */
  interpolation?: Interpolation;
  decoder: { id: string; params?: Record<string, unknown> };
  /**
   * The model's output classes in output order, when they differ from the task's labels (names; an
   * empty string drops that class). Default: the task's labels in order.
   */
  labels?: readonly string[];
}

const channelValues = {
  type: "array",
  items: { type: "number" },
  minItems: 1,
  maxItems: 3,
  description: "One value for all channels, or one per channel in the model's colour order.",
};

/** JSON Schema of ModelAdapter (draft 2020-12). */
export const modelAdapterSchema: JsonSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Model adapter",
  type: "object",
  properties: {
    input: { type: "string", minLength: 1, title: "Input name", description: "Name of the model's image input." },
    width: { type: "integer", minimum: 1, maximum: 8192, title: "Input width (px)" },
    height: { type: "integer", minimum: 1, maximum: 8192, title: "Input height (px)" },
    resize: {
      enum: ["stretch", "letterbox", "center-crop"],
      title: "Resize mode",
      description:
        "stretch: ignore the aspect ratio; letterbox: keep it, image at the top-left, pad the rest; center-crop: resize the short side, then crop the centre.",
    },
    cropRatio: {
      type: "number",
      exclusiveMinimum: 0,
      maximum: 1,
      title: "Crop ratio",
      description: "center-crop: crop size / resized size (0.875 = resize to 256, crop 224).",
    },
    colorOrder: { enum: ["RGB", "BGR", "GRAY"], title: "Colour order" },
    layout: { enum: ["NCHW", "NHWC"], title: "Tensor layout" },
    scale: { type: "number", title: "Scale", description: "Multiplies each 0..255 pixel value first (default 1/255)." },
    mean: { ...channelValues, title: "Mean", description: "Subtracted after scaling (default 0)." },
    std: {
      ...channelValues,
      items: { type: "number", exclusiveMinimum: 0 },
      title: "Std",
      description: "Divides after subtracting the mean (default 1).",
    },
    padValue: { type: "number", minimum: 0, maximum: 255, title: "Padding value (px)" },
    interpolation: {
      enum: [...INTERPOLATIONS],
      title: "Resampling",
      description:
        "bilinear: OpenCV's cv2.resize default (most detection recipes); nearest; sharp-*: antialiased kernels, closer to PIL/torchvision resizing.",
    },
    decoder: {
      type: "object",
      title: "Output decoder",
      properties: {
        id: { type: "string", minLength: 1, title: "Decoder" },
        params: { type: "object", title: "Decoder parameters" },
      },
      required: ["id"],
      additionalProperties: false,
    },
    labels: {
      type: "array",
      items: { type: "string" },
      title: "Output classes",
      description:
        "Class names in the model's output order when they differ from the task's labels; empty drops a class.",
    },
  },
  required: ["input", "width", "height", "resize", "colorOrder", "layout", "decoder"],
  additionalProperties: false,
};

const validateShape = new Ajv2020({ allErrors: true, strict: false }).compile<ModelAdapter>(modelAdapterSchema);

export interface AdapterProblem {
  /** JSON pointer into the adapter. */
  path: string;
  message: string;
}

export type AdapterValidation = { ok: true; adapter: ModelAdapter } | { ok: false; problems: AdapterProblem[] };

/**
 * Validates an adapter from outside (an upload, a database row): its shape, its decoder and the
 * decoder's params, and that the decoder fits the task type.
 */
export function validateModelAdapter(
  value: unknown,
  decoders: DecoderRegistry,
  taskType?: TaskType,
): AdapterValidation {
  if (!validateShape(value)) {
    const problems = (validateShape.errors ?? []).map((e) => ({
      path: e.instancePath,
      message: `adapter${e.instancePath}: ${e.message ?? "invalid"}`,
    }));
    return { ok: false, problems };
  }
  const problems: AdapterProblem[] = decoders.check(value.decoder.id, value.decoder.params ?? {}, taskType);
  const channels = value.colorOrder === "GRAY" ? 1 : 3;
  for (const key of ["mean", "std"] as const) {
    const v = value[key];
    if (v !== undefined && v.length !== 1 && v.length !== channels) {
      problems.push({ path: `/${key}`, message: `adapter/${key} has ${v.length} values; give 1 or ${channels}` });
    }
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, adapter: value };
}

/** The preprocessing an adapter describes. */
export function adapterTensorSpec(adapter: ModelAdapter): TensorSpec {
  const spec: TensorSpec = {
    width: adapter.width,
    height: adapter.height,
    resize: adapter.resize,
    colorOrder: adapter.colorOrder,
    layout: adapter.layout,
  };
  if (adapter.cropRatio !== undefined) spec.cropRatio = adapter.cropRatio;
  if (adapter.scale !== undefined) spec.scale = adapter.scale;
  if (adapter.mean !== undefined) spec.mean = adapter.mean;
  if (adapter.std !== undefined) spec.std = adapter.std;
  if (adapter.padValue !== undefined) spec.padValue = adapter.padValue;
  if (adapter.interpolation !== undefined) spec.interpolation = adapter.interpolation;
  return spec;
}
