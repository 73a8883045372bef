/**
 * The benchmark's baseline: YOLOX nano -> objects -> MobileNetV2 on each crop, written directly
 * against onnxruntime-node and sharp on the JS thread, without the engine or the model runtime.
 * The engine's flow YOLOX -> Object Selector -> Recognition (MobileNetV2) does the same work.
 */
import { readFileSync } from "node:fs";
import ort from "onnxruntime-node";
import sharp from "sharp";
import type { BoundingBox } from "@vizflow/sdk";
import { DEFAULT_SESSION_OPTIONS } from "../../runtime/inference/inference-pool.js";
import { cocoLabels, imagenetLabels } from "../real-models.js";

export interface DirectObject {
  name: string;
  prob: number;
  bound_box: BoundingBox;
  /** MobileNetV2's top-1 class of the crop. */
  label: { name: string; prob: number };
}

export interface DirectPipelineOptions {
  /** Object filter, as the Object Selector's config (defaults: every label, min prob 0, 10 objects). */
  labels?: readonly string[];
  minProb?: number;
  maxObjects?: number;
  /** Decode through the ICC profile (default false, as the engine's default). */
  iccConversion?: boolean;
}

type Raw = { data: Buffer; width: number; height: number };

/** Resizes raw RGB with sharp and writes a normalised NCHW tensor (BGR/RGB), padding the rest. */
async function tensorOf(
  raw: Raw,
  region: { left: number; top: number; width: number; height: number },
  size: { width: number; height: number; cropLeft: number; cropTop: number; outW: number; outH: number },
  norm: { bgr: boolean; scale: number; mean: readonly number[]; std: readonly number[]; pad: number },
): Promise<Float32Array> {
  let image = sharp(raw.data, { raw: { width: raw.width, height: raw.height, channels: 3 } });
  if (region.width !== raw.width || region.height !== raw.height) image = image.extract(region);
  image = image.resize(size.width, size.height, { fit: "fill", kernel: "linear" });
  const crop = size.cropLeft > 0 || size.cropTop > 0 || size.outW < size.width || size.outH < size.height;
  const w = crop ? Math.min(size.outW, size.width) : size.width;
  const h = crop ? Math.min(size.outH, size.height) : size.height;
  if (crop) image = image.extract({ left: size.cropLeft, top: size.cropTop, width: w, height: h });
  const px = await image.raw().toBuffer();
  const plane = size.outW * size.outH;
  const out = new Float32Array(3 * plane);
  for (let c = 0; c < 3; c++)
    out.fill((norm.pad * norm.scale - (norm.mean[c] ?? 0)) / (norm.std[c] ?? 1), c * plane, (c + 1) * plane);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      const s = (y * w + x) * 3;
      for (let c = 0; c < 3; c++) {
        const v = px[s + (norm.bgr ? 2 - c : c)] as number;
        out[c * plane + y * size.outW + x] = (v * norm.scale - (norm.mean[c] ?? 0)) / (norm.std[c] ?? 1);
      }
    }
  }
  return out;
}

function iou(a: BoundingBox, b: BoundingBox): number {
  const iw = Math.max(0, Math.min(a[2], b[2]) - Math.max(a[0], b[0]));
  const ih = Math.max(0, Math.min(a[3], b[3]) - Math.max(a[1], b[1]));
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

export class DirectPipeline {
  private constructor(
    private readonly yolox: ort.InferenceSession,
    private readonly mobilenet: ort.InferenceSession,
    private readonly coco: readonly string[],
    private readonly imagenet: readonly string[],
    private readonly options: DirectPipelineOptions,
  ) {}

  /** Opens both sessions on the JS thread, with the engine's session options. */
  static async create(modelsDir: string, options: DirectPipelineOptions = {}): Promise<DirectPipeline> {
    const sessionOptions = DEFAULT_SESSION_OPTIONS as unknown as ort.InferenceSession.SessionOptions;
    const [yolox, mobilenet] = await Promise.all([
      ort.InferenceSession.create(`${modelsDir}yolox/yolox_nano.onnx`, sessionOptions),
      ort.InferenceSession.create(`${modelsDir}mobilenetv2/mobilenetv2-12-int8.onnx`, sessionOptions),
    ]);
    return new DirectPipeline(yolox, mobilenet, cocoLabels(modelsDir), imagenetLabels(modelsDir), options);
  }

  /** Detects objects in an encoded image and classifies each crop. */
  async process(bytes: Uint8Array): Promise<DirectObject[]> {
    const { data, info } = await sharp(bytes, { autoOrient: true, ignoreIcc: !(this.options.iccConversion ?? false) })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw: Raw = { data, width: info.width, height: info.height };
    const detections = await this.#detect(raw);
    const results: DirectObject[] = [];
    for (const d of detections) {
      const [x0, y0, x1, y1] = d.bound_box;
      const left = Math.max(0, Math.floor(x0));
      const top = Math.max(0, Math.floor(y0));
      const region = {
        left,
        top,
        width: Math.max(1, Math.min(raw.width, Math.ceil(x1)) - left),
        height: Math.max(1, Math.min(raw.height, Math.ceil(y1)) - top),
      };
      const s = 256 / Math.min(region.width, region.height);
      const rw = Math.max(224, Math.round(region.width * s));
      const rh = Math.max(224, Math.round(region.height * s));
      const input = await tensorOf(
        raw,
        region,
        {
          width: rw,
          height: rh,
          cropLeft: Math.round((rw - 224) / 2),
          cropTop: Math.round((rh - 224) / 2),
          outW: 224,
          outH: 224,
        },
        { bgr: false, scale: 1 / 255, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], pad: 0 },
      );
      const out = await this.mobilenet.run({ input: new ort.Tensor("float32", input, [1, 3, 224, 224]) });
      const logits = out["output"]?.data as Float32Array;
      let best = 0;
      for (let i = 1; i < logits.length; i++) if ((logits[i] as number) > (logits[best] as number)) best = i;
      const max = logits[best] as number;
      const sum = logits.reduce((a, v) => a + Math.exp(v - max), 0);
      results.push({ ...d, label: { name: this.imagenet[best] ?? String(best), prob: 1 / sum } });
    }
    return results;
  }

  async #detect(raw: Raw): Promise<Omit<DirectObject, "label">[]> {
    const r = Math.min(416 / raw.height, 416 / raw.width);
    const w = Math.floor(raw.width * r);
    const h = Math.floor(raw.height * r);
    const input = await tensorOf(
      raw,
      { left: 0, top: 0, width: raw.width, height: raw.height },
      { width: w, height: h, cropLeft: 0, cropTop: 0, outW: 416, outH: 416 },
      { bgr: true, scale: 1, mean: [0, 0, 0], std: [1, 1, 1], pad: 114 },
    );
    const result = await this.yolox.run({ images: new ort.Tensor("float32", input, [1, 3, 416, 416]) });
    const out = result["output"]?.data as Float32Array;
    const found: { c: number; score: number; box: BoundingBox }[] = [];
    let row = 0;
    for (const stride of [8, 16, 32]) {
      const g = 416 / stride;
      for (let gy = 0; gy < g; gy++) {
        for (let gx = 0; gx < g; gx++, row++) {
          const o = row * 85;
          const obj = out[o + 4] as number;
          if (obj <= 0.3) continue;
          const cx = ((out[o] as number) + gx) * stride;
          const cy = ((out[o + 1] as number) + gy) * stride;
          const bw = Math.exp(out[o + 2] as number) * stride;
          const bh = Math.exp(out[o + 3] as number) * stride;
          for (let c = 0; c < 80; c++) {
            const score = obj * (out[o + 5 + c] as number);
            if (score <= 0.3) continue;
            const box: BoundingBox = [
              Math.max(0, Math.min(raw.width, (cx - bw / 2) / r)),
              Math.max(0, Math.min(raw.height, (cy - bh / 2) / r)),
              Math.max(0, Math.min(raw.width, (cx + bw / 2) / r)),
              Math.max(0, Math.min(raw.height, (cy + bh / 2) / r)),
            ];
            found.push({ c, score, box });
          }
        }
      }
    }
    const kept: typeof found = [];
    for (const d of found.sort((a, b) => b.score - a.score)) {
      if (!kept.some((k) => k.c === d.c && iou(k.box, d.box) > 0.45)) kept.push(d);
    }
    const { labels, minProb = 0, maxObjects = 10 } = this.options;
    return kept
      .map((k) => ({ name: this.coco[k.c] ?? String(k.c), prob: k.score, bound_box: k.box }))
      .filter((o) => o.prob >= minProb && (labels === undefined || labels.includes(o.name)))
      .slice(0, maxObjects);
  }

  async close(): Promise<void> {
    await Promise.all([this.yolox.release(), this.mobilenet.release()]);
  }
}

/** The photos of ../shared/models the benchmark cycles through. */
export function benchmarkPhotos(modelsDir: string): { name: string; bytes: Uint8Array }[] {
  return [
    "imgs/yolox_dog.jpg",
    "imgs/ortex_wolves.jpg",
    "imgs/ortex_horse-cart.jpg",
    "imgs/ortex_test_object_detection_0.jpg",
    "imgs/ortex_test_object_detection_1.jpg",
    "imgs/ortex_dog.jpg",
    "imgs/ortex_cat.jpg",
    "fastestdet/0.jpg",
    "fastestdet/1.jpg",
    "fastestdet/2.jpg",
  ].map((name) => ({ name, bytes: readFileSync(`${modelsDir}${name}`) }));
}
