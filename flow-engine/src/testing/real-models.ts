/**
 * The real ONNX models of `../shared/models` (relative to the repository root) as model versions
 * with adapters that follow that folder's README recipes. For integration tests and the benchmark;
 * the folder may be absent (CI without it), so check `realModelsDir()` first.
 */
import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import type { ModelVersionRecord } from "../runtime/model-store.js";
import { ULTRAFACE_PARAMS, ULTRAFACE_RAW_PARAMS } from "../runtime/decoders/ssd.js";

const REPO_ROOT = fileURLToPath(new URL("../../../", import.meta.url));

/** Absolute path of `../shared/models` from the repository root, or undefined when it is absent. */
export function realModelsDir(): string | undefined {
  const dir = fileURLToPath(new URL("../shared/models/", `file://${REPO_ROOT}`));
  return existsSync(`${dir}README.md`) ? dir : undefined;
}

/** Says why real-model tests are skipped, for `describe.skipIf`. */
export const REAL_MODELS_MISSING =
  "skipped: ../shared/models (real ONNX models and photos) is not present next to the repository";

export function cocoLabels(dir: string): string[] {
  return readFileSync(`${dir}fastestdet/coco.names`, "utf8")
    .split("\n")
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** ImageNet class names in output order (the synset id prefix dropped). */
export function imagenetLabels(dir: string): string[] {
  return readFileSync(`${dir}labels/onnx_models_synset.txt`, "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => l.slice(10).trim());
}

/** Model versions for every real model, keyed by a short id (also their `id`). */
export function realModelVersions(dir: string) {
  const coco = cocoLabels(dir);
  const ultraface = {
    input: "input",
    width: 320,
    height: 240,
    resize: "stretch",
    colorOrder: "RGB",
    layout: "NCHW",
    scale: 1,
    mean: [127],
    std: [128],
  } as const;
  const versions = {
    yolox: {
      id: "yolox",
      taskType: "detection",
      labels: coco,
      file: { path: `${dir}yolox/yolox_nano.onnx` },
      adapter: {
        input: "images",
        width: 416,
        height: 416,
        resize: "letterbox",
        colorOrder: "BGR",
        layout: "NCHW",
        scale: 1,
        padValue: 114,
        decoder: { id: "yolox", params: { threshold: 0.3, iou: 0.45 } },
      },
    },
    ultraface: {
      id: "ultraface",
      taskType: "detection",
      labels: ["face"],
      file: { path: `${dir}ultraface/version-RFB-320.onnx` },
      adapter: { ...ultraface, decoder: { id: "ssd", params: { ...ULTRAFACE_PARAMS } } },
    },
    "ultraface-raw": {
      id: "ultraface-raw",
      taskType: "detection",
      labels: ["face"],
      file: { path: `${dir}ultraface/version-RFB-320_without_postprocessing.onnx` },
      adapter: { ...ultraface, decoder: { id: "ssd", params: { ...ULTRAFACE_RAW_PARAMS } } },
    },
    mobilenetv2: {
      id: "mobilenetv2",
      taskType: "categorization",
      labels: imagenetLabels(dir),
      file: { path: `${dir}mobilenetv2/mobilenetv2-12-int8.onnx` },
      adapter: {
        input: "input",
        width: 224,
        height: 224,
        resize: "center-crop",
        cropRatio: 224 / 256,
        colorOrder: "RGB",
        layout: "NCHW",
        scale: 1 / 255,
        mean: [0.485, 0.456, 0.406],
        std: [0.229, 0.224, 0.225],
        decoder: { id: "softmax", params: { topK: 5 } },
      },
    },
    fastestdet: {
      id: "fastestdet",
      taskType: "detection",
      labels: coco,
      file: { path: `${dir}fastestdet/FastestDet.onnx` },
      adapter: {
        input: "input.1",
        width: 352,
        height: 352,
        resize: "stretch",
        colorOrder: "BGR",
        layout: "NCHW",
        scale: 1 / 255,
        decoder: { id: "fastestdet", params: { threshold: 0.65, iou: 0.45 } },
      },
    },
    mnist: {
      id: "mnist",
      taskType: "categorization",
      labels: ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9"],
      file: { path: `${dir}mnist/mnist-8.onnx` },
      adapter: {
        input: "Input3",
        width: 28,
        height: 28,
        resize: "stretch",
        colorOrder: "GRAY",
        layout: "NCHW",
        scale: 1 / 255,
        decoder: { id: "softmax" },
      },
    },
  } satisfies Record<string, ModelVersionRecord>;
  return versions;
}
