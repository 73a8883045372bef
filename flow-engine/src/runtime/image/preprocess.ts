/**
 * Turns a region of decoded pixels into a model input tensor (resize with sharp, colour order and
 * normalisation in one pass in JS), and gives the inverse mapping from model-input pixels back to
 * root-image pixels.
 */
import sharp from "sharp";
import type { BoundingBox, PreprocessSpec, Tensor } from "@vizflow/sdk";
import type { DecodedImage } from "./decode.js";

/**
 * How pixels are resampled. `bilinear` (default) is OpenCV's INTER_LINEAR (cv2.resize's default: half-pixel
 * centres, no antialiasing), computed here exactly, as most detection recipes (YOLOX) do it; `nearest`
 * is INTER_NEAREST. The `sharp-*` kernels run in libvips and antialias when shrinking, closer to PIL's
 * resize that torchvision recipes use.
 */
export type Interpolation = "bilinear" | "nearest" | "sharp-linear" | "sharp-cubic" | "sharp-lanczos3";

export const INTERPOLATIONS: readonly Interpolation[] = [
  "bilinear",
  "nearest",
  "sharp-linear",
  "sharp-cubic",
  "sharp-lanczos3",
];

/** PreprocessSpec plus what the SDK type does not carry yet. */
export interface TensorSpec extends PreprocessSpec {
  /**
   * `center-crop` only: crop side / resized side, e.g. 224/256 = 0.875 (the ImageNet recipe: resize the
   * short side to 256, crop 224). Default 0.875.
   */
  cropRatio?: number;
  /** Resampling (default `bilinear`, OpenCV's INTER_LINEAR). */
  interpolation?: Interpolation;
}

/** An integer rectangle of root-image pixels. */
export interface PixelRegion {
  left: number;
  top: number;
  width: number;
  height: number;
}

export interface PreprocessResult {
  tensor: Tensor & { data: Float32Array };
  /** Maps a box in model-input pixels to root-image pixels, clamped to the region. */
  transform: (box: BoundingBox) => BoundingBox;
}

export const DEFAULT_CROP_RATIO = 0.875;

export interface Placement {
  /** Size the region is resized to. */
  resizeWidth: number;
  resizeHeight: number;
  /** Part of the resized image that lands in the input (center-crop), else the whole resized image. */
  cropLeft: number;
  cropTop: number;
  /** Size of the pixels written into the input tensor (the rest is padding). */
  width: number;
  height: number;
}

function place(region: PixelRegion, spec: TensorSpec): Placement {
  const { width: w, height: h } = region;
  const W = spec.width;
  const H = spec.height;
  switch (spec.resize) {
    case "stretch":
      return { resizeWidth: W, resizeHeight: H, cropLeft: 0, cropTop: 0, width: W, height: H };
    case "letterbox": {
      // As YOLOX: scale by r = min(W/w, H/h), truncate, keep at the top-left, pad the rest.
      const r = Math.min(W / w, H / h);
      const rw = Math.max(1, Math.min(W, Math.floor(w * r)));
      const rh = Math.max(1, Math.min(H, Math.floor(h * r)));
      return { resizeWidth: rw, resizeHeight: rh, cropLeft: 0, cropTop: 0, width: rw, height: rh };
    }
    case "center-crop": {
      const ratio = spec.cropRatio ?? DEFAULT_CROP_RATIO;
      const s = Math.max(W / ratio / w, H / ratio / h);
      const rw = Math.max(W, Math.round(w * s));
      const rh = Math.max(H, Math.round(h * s));
      return {
        resizeWidth: rw,
        resizeHeight: rh,
        cropLeft: Math.round((rw - W) / 2),
        cropTop: Math.round((rh - H) / 2),
        width: W,
        height: H,
      };
    }
  }
}

function inverse(region: PixelRegion, spec: TensorSpec, p: Placement): (box: BoundingBox) => BoundingBox {
  // Letterbox divides by r exactly as the YOLOX recipe does; the others use the realised resize ratio.
  const r = spec.resize === "letterbox" ? Math.min(spec.width / region.width, spec.height / region.height) : 0;
  const sx = r > 0 ? 1 / r : region.width / p.resizeWidth;
  const sy = r > 0 ? 1 / r : region.height / p.resizeHeight;
  const x0 = region.left;
  const y0 = region.top;
  const x1 = region.left + region.width;
  const y1 = region.top + region.height;
  const clampX = (x: number) => Math.min(x1, Math.max(x0, x));
  const clampY = (y: number) => Math.min(y1, Math.max(y0, y));
  return ([a, b, c, d]) => [
    clampX((a + p.cropLeft) * sx + x0),
    clampY((b + p.cropTop) * sy + y0),
    clampX((c + p.cropLeft) * sx + x0),
    clampY((d + p.cropTop) * sy + y0),
  ];
}

async function resizeWithSharp(
  image: DecodedImage,
  region: PixelRegion,
  p: Placement,
  kernel: "linear" | "cubic" | "lanczos3",
): Promise<Uint8Array> {
  const whole = region.left === 0 && region.top === 0 && region.width === image.width && region.height === image.height;
  const unchanged =
    p.resizeWidth === region.width && p.resizeHeight === region.height && p.cropLeft === 0 && p.cropTop === 0;
  if (whole && unchanged) return image.data;
  let pipeline = sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } });
  if (!whole) pipeline = pipeline.extract(region);
  if (p.resizeWidth !== region.width || p.resizeHeight !== region.height) {
    pipeline = pipeline.resize(p.resizeWidth, p.resizeHeight, { fit: "fill", kernel });
  }
  if (p.cropLeft !== 0 || p.cropTop !== 0 || p.width !== p.resizeWidth || p.height !== p.resizeHeight) {
    pipeline = pipeline.extract({ left: p.cropLeft, top: p.cropTop, width: p.width, height: p.height });
  }
  const data = await pipeline.raw().toBuffer();
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

function perChannel(values: readonly number[] | undefined, channel: number, fallback: number): number {
  if (values === undefined || values.length === 0) return fallback;
  return values[Math.min(channel, values.length - 1)] ?? fallback;
}

/** Writes RGB pixels (width x height, top-left) into a normalised W x H tensor; the rest is padding. */
export function pixelsToTensor(
  rgb: Uint8Array,
  width: number,
  height: number,
  spec: TensorSpec,
): Tensor & { data: Float32Array } {
  const W = spec.width;
  const H = spec.height;
  const gray = spec.colorOrder === "GRAY";
  const C = gray ? 1 : 3;
  const scale = spec.scale ?? 1 / 255;
  // value = (px * scale - mean) / std = px * a + b, precomputed as one lookup table per channel.
  const luts: Float32Array[] = [];
  for (let c = 0; c < C; c++) {
    const std = perChannel(spec.std, c, 1);
    const mean = perChannel(spec.mean, c, 0);
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = (v * scale - mean) / std;
    luts.push(lut);
  }
  const out = new Float32Array(C * W * H);
  const plane = W * H;
  const nchw = spec.layout === "NCHW";
  if (width < W || height < H) {
    const pad = Math.round(spec.padValue ?? 114);
    for (let c = 0; c < C; c++) {
      const value = (luts[c] as Float32Array)[pad] as number;
      if (nchw) out.fill(value, c * plane, (c + 1) * plane);
      else for (let i = c; i < out.length; i += C) out[i] = value;
    }
  }
  // Source channel for each output channel: RGB keeps order, BGR swaps R and B.
  const bgr = spec.colorOrder === "BGR";
  const l0 = luts[0] as Float32Array;
  const l1 = luts[1] ?? l0;
  const l2 = luts[2] ?? l0;
  for (let y = 0; y < height; y++) {
    let s = y * width * 3;
    let o = y * W;
    for (let x = 0; x < width; x++, s += 3, o++) {
      const r = rgb[s] as number;
      const g = rgb[s + 1] as number;
      const b = rgb[s + 2] as number;
      if (gray) {
        out[o] = l0[Math.round(0.299 * r + 0.587 * g + 0.114 * b)] as number;
        continue;
      }
      const c0 = bgr ? b : r;
      const c2 = bgr ? r : b;
      if (nchw) {
        out[o] = l0[c0] as number;
        out[o + plane] = l1[g] as number;
        out[o + 2 * plane] = l2[c2] as number;
      } else {
        const i = o * 3;
        out[i] = l0[c0] as number;
        out[i + 1] = l1[g] as number;
        out[i + 2] = l2[c2] as number;
      }
    }
  }
  return { data: out, dims: nchw ? [1, C, H, W] : [1, H, W, C] };
}

/** Source index and weight of the next pixel for output coordinate `d`, as OpenCV's INTER_LINEAR. */
function linearTaps(count: number, offset: number, scale: number, size: number) {
  const i0 = new Int32Array(count);
  const i1 = new Int32Array(count);
  const t = new Float32Array(count);
  for (let d = 0; d < count; d++) {
    let f = (d + offset + 0.5) * scale - 0.5;
    if (f < 0) f = 0;
    let i = Math.floor(f);
    let w = f - i;
    if (i >= size - 1) [i, w] = [size - 1, 0];
    i0[d] = i;
    i1[d] = Math.min(i + 1, size - 1);
    t[d] = w;
  }
  return { i0, i1, t };
}

/**
 * Resamples the placed part of a region in JS (OpenCV's bilinear or nearest), reading root pixels
 * directly: only the pixels that land in the input are computed (a center-crop skips the margins).
 */
export function resizeRegionJs(
  image: DecodedImage,
  region: PixelRegion,
  p: Placement,
  mode: "bilinear" | "nearest",
): Uint8Array {
  const out = new Uint8Array(p.width * p.height * 3);
  const sx = region.width / p.resizeWidth;
  const sy = region.height / p.resizeHeight;
  const stride = image.width * 3;
  if (mode === "nearest") {
    const cols = Int32Array.from({ length: p.width }, (_, x) =>
      Math.min(region.width - 1, Math.floor((x + p.cropLeft) * sx)),
    );
    for (let y = 0; y < p.height; y++) {
      const sy0 = Math.min(region.height - 1, Math.floor((y + p.cropTop) * sy));
      const row = (region.top + sy0) * stride + region.left * 3;
      for (let x = 0; x < p.width; x++) {
        const s = row + (cols[x] as number) * 3;
        const o = (y * p.width + x) * 3;
        out[o] = image.data[s] as number;
        out[o + 1] = image.data[s + 1] as number;
        out[o + 2] = image.data[s + 2] as number;
      }
    }
    return out;
  }
  const xs = linearTaps(p.width, p.cropLeft, sx, region.width);
  const ys = linearTaps(p.height, p.cropTop, sy, region.height);
  const src = image.data;
  for (let y = 0; y < p.height; y++) {
    const ty = ys.t[y] as number;
    const r0 = (region.top + (ys.i0[y] as number)) * stride + region.left * 3;
    const r1 = (region.top + (ys.i1[y] as number)) * stride + region.left * 3;
    let o = y * p.width * 3;
    for (let x = 0; x < p.width; x++) {
      const tx = xs.t[x] as number;
      const a = (xs.i0[x] as number) * 3;
      const b = (xs.i1[x] as number) * 3;
      for (let c = 0; c < 3; c++, o++) {
        const top = (src[r0 + a + c] as number) * (1 - tx) + (src[r0 + b + c] as number) * tx;
        const bottom = (src[r1 + a + c] as number) * (1 - tx) + (src[r1 + b + c] as number) * tx;
        out[o] = (top * (1 - ty) + bottom * ty + 0.5) | 0;
      }
    }
  }
  return out;
}

/** Preprocesses a region of a decoded image for a model input. */
export async function preprocessRegion(
  image: DecodedImage,
  region: PixelRegion,
  spec: TensorSpec,
): Promise<PreprocessResult> {
  const placement = place(region, spec);
  const interpolation = spec.interpolation ?? "bilinear";
  const rgb =
    interpolation === "bilinear" || interpolation === "nearest"
      ? resizeRegionJs(image, region, placement, interpolation)
      : await resizeWithSharp(image, region, placement, SHARP_KERNELS[interpolation]);
  return {
    tensor: pixelsToTensor(rgb, placement.width, placement.height, spec),
    transform: inverse(region, spec, placement),
  };
}

const SHARP_KERNELS = {
  "sharp-linear": "linear",
  "sharp-cubic": "cubic",
  "sharp-lanczos3": "lanczos3",
} as const;
