/**
 * Starting points for the adapter form, for the model families most uploads come from. Pure data, shared by
 * the form and the tests; every field stays editable after a preset is applied.
 */

/** The adapter as the form edits it (the engine's ModelAdapter, as plain JSON). */
export interface AdapterValues {
  input: string;
  width: number;
  height: number;
  resize: "stretch" | "letterbox" | "center-crop";
  cropRatio?: number;
  colorOrder: "RGB" | "BGR" | "GRAY";
  layout: "NCHW" | "NHWC";
  scale?: number;
  mean?: number[];
  std?: number[];
  padValue?: number;
  interpolation?: string;
  decoder: { id: string; params?: Record<string, unknown> };
  labels?: string[];
}

export interface AdapterPreset {
  readonly id: string;
  readonly title: string;
  readonly description: string;
  /** Task types the preset fits. */
  readonly taskTypes: readonly ("categorization" | "tagging" | "regression" | "detection")[];
  readonly adapter: AdapterValues;
}

export const ADAPTER_PRESETS: readonly AdapterPreset[] = [
  {
    id: "imagenet",
    title: "ImageNet classifier",
    description:
      "MobileNet, ResNet, EfficientNet… as torchvision trains them: RGB, short side resized to 256 with PIL's " +
      "antialiased bilinear (long side truncated), centre crop 224 (offset rounded half to even), px/255, " +
      "ImageNet mean/std, softmax.",
    taskTypes: ["categorization", "tagging"],
    adapter: {
      input: "input",
      width: 224,
      height: 224,
      resize: "center-crop",
      cropRatio: 0.875,
      colorOrder: "RGB",
      layout: "NCHW",
      scale: 1 / 255,
      mean: [0.485, 0.456, 0.406],
      std: [0.229, 0.224, 0.225],
      interpolation: "pil-bilinear",
      decoder: { id: "softmax", params: { topK: 5 } },
    },
  },
  {
    id: "ultraface",
    title: "UltraFace-style SSD",
    description:
      "Linzaer's recipe: RGB stretched to 320x240 with OpenCV's INTER_LINEAR (no antialiasing), (px-127)/128; " +
      "scores and boxes outputs already decoded; up to 300 faces (maxDetections), a crowd's worth.",
    taskTypes: ["detection"],
    adapter: {
      input: "input",
      width: 320,
      height: 240,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
      scale: 1,
      mean: [127],
      std: [128],
      decoder: {
        id: "ssd",
        params: { scores: "scores", boxes: "boxes", threshold: 0.7, iou: 0.3, backgroundClass: 0, maxDetections: 300 },
      },
    },
  },
  {
    id: "yolox",
    title: "YOLOX",
    description:
      "Megvii's YOLOX demo: BGR letterboxed at the top-left into 416x416 with OpenCV's INTER_LINEAR (size " +
      "truncated), pad 114, raw 0..255 values, grid strides 8/16/32; decoded by the demo's rule (each cell's best " +
      'class, NMS across classes; `rule: "per-class"` keeps every class over the threshold instead), up to 300 objects.',
    taskTypes: ["detection"],
    adapter: {
      input: "images",
      width: 416,
      height: 416,
      resize: "letterbox",
      colorOrder: "BGR",
      layout: "NCHW",
      scale: 1,
      padValue: 114,
      decoder: { id: "yolox", params: { threshold: 0.3, iou: 0.45, rule: "reference", maxDetections: 300 } },
    },
  },
];

/** Normalisation presets of the form: the scale/mean/std triples models are commonly trained with. */
export const NORMALISATIONS = [
  { id: "unit", title: "0..1 (px / 255)", scale: 1 / 255, mean: [0], std: [1] },
  {
    id: "imagenet",
    title: "ImageNet mean/std",
    scale: 1 / 255,
    mean: [0.485, 0.456, 0.406],
    std: [0.229, 0.224, 0.225],
  },
  { id: "raw", title: "Raw 0..255", scale: 1, mean: [0], std: [1] },
  { id: "symmetric", title: "-1..1 ((px - 127.5) / 127.5)", scale: 1, mean: [127.5], std: [127.5] },
] as const;

export function presetById(id: string): AdapterPreset | undefined {
  return ADAPTER_PRESETS.find((p) => p.id === id);
}
