/**
 * The benchmark's baseline: YOLOX nano -> objects -> MobileNetV2 on the crops, written directly against
 * onnxruntime-node and sharp with inference on the JS thread, no engine and no model runtime.
 *
 * It does exactly the engine's work: the
 * same preprocessing semantics (OpenCV INTER_LINEAR in one JS pass, as the adapters of the real models
 * ask, instead of sharp's antialiasing resize), NMS in model-input pixels, the Object Selector's filter,
 * all crops of a photo in one batched MobileNetV2 run, ICC conversion off, the engine's session options.
 * A competent direct implementation would do the same, so the ratio measures the engine's overhead
 * and its concurrency, not a difference of recipes.
 */
import ort from "onnxruntime-node";
import sharp from "sharp";
import type { BoundingBox } from "@vizflow/sdk";
import { DEFAULT_SESSION_OPTIONS } from "../src/runtime/inference/inference-pool.js";
import { cocoLabels, imagenetLabels } from "../src/testing/real-models.js";

/** One object as both paths report it, for the equality check. */
export interface PipelineObject {
  name: string;
  prob: number;
  bound_box: BoundingBox;
  /** MobileNetV2's top-1 class of the crop. */
  label: string;
}

/** The Object Selector's filter of the benchmark flow. */
export interface ObjectFilter {
  minProb: number;
  maxObjects: number;
}

interface Raw {
  data: Buffer;
  width: number;
  height: number;
}

interface Region {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Where the resampled region lands: the resize size, the part of it kept, and the tensor size. */
interface Layout {
  resizeWidth: number;
  resizeHeight: number;
  cropLeft: number;
  cropTop: number;
  outWidth: number;
  outHeight: number;
  tensorWidth: number;
  tensorHeight: number;
}

interface Normalisation {
  bgr: boolean;
  /** value = (px * scale - mean[c]) / std[c] */
  scale: number;
  mean: readonly [number, number, number];
  std: readonly [number, number, number];
  pad: number;
}

const YOLOX_SIZE = 416;
const YOLOX_STRIDES = [8, 16, 32] as const;
const YOLOX_THRESHOLD = 0.3;
const YOLOX_IOU = 0.45;
const YOLOX_MAX_DETECTIONS = 100;
const MOBILENET_SIZE = 224;
const MOBILENET_CROP_RATIO = 224 / 256;
const MOBILENET_NORM: Normalisation = {
  bgr: false,
  scale: 1 / 255,
  mean: [0.485, 0.456, 0.406],
  std: [0.229, 0.224, 0.225],
  pad: 0,
};
const YOLOX_NORM: Normalisation = { bgr: true, scale: 1, mean: [0, 0, 0], std: [1, 1, 1], pad: 114 };

/** OpenCV INTER_LINEAR source indices and weights (half-pixel centres, clamped) for `count` outputs. */
function taps(count: number, offset: number, scale: number, size: number) {
  const i0 = new Int32Array(count);
  const i1 = new Int32Array(count);
  const t = new Float32Array(count);
  for (let d = 0; d < count; d++) {
    const f = Math.max(0, (d + offset + 0.5) * scale - 0.5);
    let i = Math.floor(f);
    let w = f - i;
    if (i >= size - 1) [i, w] = [size - 1, 0];
    i0[d] = i;
    i1[d] = Math.min(i + 1, size - 1);
    t[d] = w;
  }
  return { i0, i1, t };
}

/** Resamples a region of raw RGB into a normalised NCHW tensor, padding what the region does not cover. */
function toTensor(raw: Raw, region: Region, layout: Layout, norm: Normalisation, out: Float32Array, at: number): void {
  const W = layout.tensorWidth;
  const plane = W * layout.tensorHeight;
  const luts = [0, 1, 2].map((c) => {
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = (v * norm.scale - (norm.mean[c] as number)) / (norm.std[c] as number);
    return lut;
  }) as [Float32Array, Float32Array, Float32Array];
  if (layout.outWidth < W || layout.outHeight < layout.tensorHeight) {
    luts.forEach((lut, c) => out.fill(lut[norm.pad] as number, at + c * plane, at + (c + 1) * plane));
  }
  const xs = taps(layout.outWidth, layout.cropLeft, region.width / layout.resizeWidth, region.width);
  const ys = taps(layout.outHeight, layout.cropTop, region.height / layout.resizeHeight, region.height);
  const stride = raw.width * 3;
  const src = new Uint8Array(raw.data.buffer, raw.data.byteOffset, raw.data.byteLength);
  const xa = xs.i0.map((i) => (region.left + i) * 3);
  const xb = xs.i1.map((i) => (region.left + i) * 3);
  // Tensor channel 0 reads B for BGR, R for RGB; the tables follow the tensor's channels.
  const [l0, l1, l2] = luts;
  const c0 = norm.bgr ? 2 : 0;
  const c2 = 2 - c0;
  for (let y = 0; y < layout.outHeight; y++) {
    const r0 = (region.top + (ys.i0[y] as number)) * stride;
    const r1 = (region.top + (ys.i1[y] as number)) * stride;
    const ty = ys.t[y] as number;
    const row = at + y * W;
    for (let x = 0; x < layout.outWidth; x++) {
      const a = xa[x] as number;
      const b = xb[x] as number;
      const tx = xs.t[x] as number;
      const o = row + x;
      out[o] = l0[lerp(src, r0 + a + c0, r0 + b + c0, r1 + a + c0, r1 + b + c0, tx, ty)] as number;
      out[o + plane] = l1[lerp(src, r0 + a + 1, r0 + b + 1, r1 + a + 1, r1 + b + 1, tx, ty)] as number;
      out[o + 2 * plane] = l2[lerp(src, r0 + a + c2, r0 + b + c2, r1 + a + c2, r1 + b + c2, tx, ty)] as number;
    }
  }
}

/** Bilinear in floats, rounded to a byte as cv2.resize does on uint8 images. */
function lerp(src: Uint8Array, p0: number, p1: number, q0: number, q1: number, tx: number, ty: number): number {
  const p = src[p0] as number;
  const q = src[q0] as number;
  const top = p + ((src[p1] as number) - p) * tx;
  const bottom = q + ((src[q1] as number) - q) * tx;
  return (top + (bottom - top) * ty + 0.5) | 0;
}

function iou(a: BoundingBox, b: BoundingBox): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  return inter / ((a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter);
}

/** The integer rectangle of a box, as the engine crops object scopes (whole pixels, clamped, at least 1x1). */
function cropRegion([x0, y0, x1, y1]: BoundingBox, raw: Raw): Region {
  const left = Math.min(raw.width - 1, Math.max(0, Math.floor(x0)));
  const top = Math.min(raw.height - 1, Math.max(0, Math.floor(y0)));
  const right = Math.max(left + 1, Math.min(raw.width, Math.ceil(x1)));
  const bottom = Math.max(top + 1, Math.min(raw.height, Math.ceil(y1)));
  return { left, top, width: right - left, height: bottom - top };
}

/** Resize the short side to 256 (224 / 0.875), keep the centre 224x224. */
function centerCrop(region: Region): Layout {
  const s = Math.max(
    MOBILENET_SIZE / MOBILENET_CROP_RATIO / region.width,
    MOBILENET_SIZE / MOBILENET_CROP_RATIO / region.height,
  );
  const rw = Math.max(MOBILENET_SIZE, Math.round(region.width * s));
  const rh = Math.max(MOBILENET_SIZE, Math.round(region.height * s));
  return {
    resizeWidth: rw,
    resizeHeight: rh,
    cropLeft: Math.round((rw - MOBILENET_SIZE) / 2),
    cropTop: Math.round((rh - MOBILENET_SIZE) / 2),
    outWidth: MOBILENET_SIZE,
    outHeight: MOBILENET_SIZE,
    tensorWidth: MOBILENET_SIZE,
    tensorHeight: MOBILENET_SIZE,
  };
}

export class DirectPipeline {
  private constructor(
    private readonly yolox: ort.InferenceSession,
    private readonly mobilenet: ort.InferenceSession,
    private readonly coco: readonly string[],
    private readonly imagenet: readonly string[],
    private readonly filter: ObjectFilter,
  ) {}

  /** Opens both sessions on the JS thread with the engine's session options. */
  static async create(modelsDir: string, filter: ObjectFilter): Promise<DirectPipeline> {
    const options = DEFAULT_SESSION_OPTIONS as unknown as ort.InferenceSession.SessionOptions;
    const [yolox, mobilenet] = await Promise.all([
      ort.InferenceSession.create(`${modelsDir}yolox/yolox_nano.onnx`, options),
      ort.InferenceSession.create(`${modelsDir}mobilenetv2/mobilenetv2-12-int8.onnx`, options),
    ]);
    return new DirectPipeline(yolox, mobilenet, cocoLabels(modelsDir), imagenetLabels(modelsDir), filter);
  }

  /** Detects the objects of an encoded photo and classifies each crop. */
  async process(bytes: Uint8Array): Promise<PipelineObject[]> {
    const { data, info } = await sharp(bytes, { failOn: "error", autoOrient: true, ignoreIcc: true })
      .removeAlpha()
      .toColourspace("srgb")
      .raw()
      .toBuffer({ resolveWithObject: true });
    const raw: Raw = { data, width: info.width, height: info.height };
    const objects = (await this.#detect(raw))
      .filter((o) => o.prob >= this.filter.minProb)
      .slice(0, this.filter.maxObjects);
    if (objects.length === 0) return [];
    const per = 3 * MOBILENET_SIZE * MOBILENET_SIZE;
    const batch = new Float32Array(per * objects.length);
    objects.forEach((o, i) => {
      const region = cropRegion(o.bound_box, raw);
      toTensor(raw, region, centerCrop(region), MOBILENET_NORM, batch, i * per);
    });
    const dims = [objects.length, 3, MOBILENET_SIZE, MOBILENET_SIZE];
    const out = await this.mobilenet.run({ input: new ort.Tensor("float32", batch, dims) });
    const logits = out["output"]?.data as Float32Array;
    const classes = logits.length / objects.length;
    return objects.map((o, i) => {
      let best = i * classes;
      for (let j = best + 1; j < (i + 1) * classes; j++) if ((logits[j] as number) > (logits[best] as number)) best = j;
      return { ...o, label: this.imagenet[best - i * classes] ?? String(best - i * classes) };
    });
  }

  /** YOLOX: letterbox at the top-left, decode the grid, per-class NMS in input pixels, boxes to photo pixels. */
  async #detect(raw: Raw): Promise<Omit<PipelineObject, "label">[]> {
    const r = Math.min(YOLOX_SIZE / raw.height, YOLOX_SIZE / raw.width);
    const w = Math.max(1, Math.min(YOLOX_SIZE, Math.floor(raw.width * r)));
    const h = Math.max(1, Math.min(YOLOX_SIZE, Math.floor(raw.height * r)));
    const input = new Float32Array(3 * YOLOX_SIZE * YOLOX_SIZE);
    const whole = { left: 0, top: 0, width: raw.width, height: raw.height };
    const layout: Layout = {
      resizeWidth: w,
      resizeHeight: h,
      cropLeft: 0,
      cropTop: 0,
      outWidth: w,
      outHeight: h,
      tensorWidth: YOLOX_SIZE,
      tensorHeight: YOLOX_SIZE,
    };
    toTensor(raw, whole, layout, YOLOX_NORM, input, 0);
    const result = await this.yolox.run({ images: new ort.Tensor("float32", input, [1, 3, YOLOX_SIZE, YOLOX_SIZE]) });
    const out = result["output"]?.data as Float32Array;
    const found: { c: number; score: number; box: BoundingBox }[] = [];
    let row = 0;
    for (const stride of YOLOX_STRIDES) {
      const g = YOLOX_SIZE / stride;
      for (let gy = 0; gy < g; gy++) {
        for (let gx = 0; gx < g; gx++, row++) {
          const o = row * 85;
          const obj = out[o + 4] as number;
          if (obj <= YOLOX_THRESHOLD) continue;
          const cx = ((out[o] as number) + gx) * stride;
          const cy = ((out[o + 1] as number) + gy) * stride;
          const bw = Math.exp(out[o + 2] as number) * stride;
          const bh = Math.exp(out[o + 3] as number) * stride;
          for (let c = 0; c < 80; c++) {
            const score = obj * (out[o + 5 + c] as number);
            if (score > YOLOX_THRESHOLD)
              found.push({ c, score, box: [cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2] });
          }
        }
      }
    }
    const kept: typeof found = [];
    for (const d of found.sort((a, b) => b.score - a.score)) {
      if (kept.length >= YOLOX_MAX_DETECTIONS) break;
      if (!kept.some((k) => k.c === d.c && iou(k.box, d.box) > YOLOX_IOU)) kept.push(d);
    }
    const clampX = (x: number) => Math.min(raw.width, Math.max(0, x / r));
    const clampY = (y: number) => Math.min(raw.height, Math.max(0, y / r));
    return kept.map((k) => ({
      name: this.coco[k.c] ?? String(k.c),
      prob: k.score,
      bound_box: [clampX(k.box[0]), clampY(k.box[1]), clampX(k.box[2]), clampY(k.box[3])],
    }));
  }

  async close(): Promise<void> {
    await Promise.all([this.yolox.release(), this.mobilenet.release()]);
  }
}
