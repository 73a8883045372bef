/**
 * Turns a region of decoded pixels into a model input tensor (resize with sharp, colour order and
 * normalisation in one pass in JS), and gives the inverse mapping from model-input pixels back to
 * root-image pixels.
 */
import sharp from "sharp";
import type { BoundingBox, PreprocessSpec, Tensor } from "@vizflow/sdk";
import type { DecodedImage } from "./decode.js";
import { pilResize } from "./pil-resample.js";
import { identityTaps, linearTaps, nearestTaps, sampleToTensor } from "./resample.js";

/**
 * How pixels are resampled. `bilinear` (default) is OpenCV's INTER_LINEAR (cv2.resize's default: half-pixel
 * centres, no antialiasing), computed here exactly, as most detection recipes (YOLOX) do it; `nearest`
 * is INTER_NEAREST. `pil-bilinear` is PIL's antialiased bilinear resize, exactly, with torchvision's
 * rounding (`Resize(256)` truncates the long side, `CenterCrop` rounds its offset half to even): the recipe of
 * classifiers trained with torchvision. The `sharp-*` kernels run in libvips and antialias when shrinking.
 */
export type Interpolation = "bilinear" | "nearest" | "pil-bilinear" | "sharp-linear" | "sharp-cubic" | "sharp-lanczos3";

export const INTERPOLATIONS: readonly Interpolation[] = [
  "bilinear",
  "nearest",
  "pil-bilinear",
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

interface Placement {
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

/** Python's `round`: halves go to the even neighbour. */
function roundHalfEven(x: number): number {
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}

/** torchvision's `Resize(short)` then `CenterCrop(W, H)`, with its own rounding. */
function torchvisionCenterCrop(region: PixelRegion, spec: TensorSpec): Placement {
  const { width: w, height: h } = region;
  const W = spec.width;
  const H = spec.height;
  const short = Math.round(Math.max(W, H) / (spec.cropRatio ?? DEFAULT_CROP_RATIO));
  const rw = w <= h ? short : Math.trunc((short * w) / h);
  const rh = w <= h ? Math.trunc((short * h) / w) : short;
  return {
    resizeWidth: Math.max(W, rw),
    resizeHeight: Math.max(H, rh),
    cropLeft: Math.max(0, roundHalfEven((rw - W) / 2)),
    cropTop: Math.max(0, roundHalfEven((rh - H) / 2)),
    width: W,
    height: H,
  };
}

function place(region: PixelRegion, spec: TensorSpec): Placement {
  if (spec.resize === "center-crop" && spec.interpolation === "pil-bilinear")
    return torchvisionCenterCrop(region, spec);
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

/** Writes RGB pixels (width x height, top-left) into a normalised tensor; the rest is padding. */
export function pixelsToTensor(
  rgb: Uint8Array,
  width: number,
  height: number,
  spec: TensorSpec,
): Tensor & { data: Float32Array } {
  const data = sampleToTensor({ data: rgb, width, left: 0, top: 0 }, identityTaps(width), identityTaps(height), spec);
  return { data, dims: tensorDims(spec) };
}

function tensorDims(spec: TensorSpec): number[] {
  const C = spec.colorOrder === "GRAY" ? 1 : 3;
  return spec.layout === "NCHW" ? [1, C, spec.height, spec.width] : [1, spec.height, spec.width, C];
}

/** Preprocesses a region of a decoded image for a model input. */
export async function preprocessRegion(
  image: DecodedImage,
  region: PixelRegion,
  spec: TensorSpec,
): Promise<PreprocessResult> {
  const p = place(region, spec);
  const interpolation = spec.interpolation ?? "bilinear";
  let data: Float32Array;
  if (interpolation === "bilinear" || interpolation === "nearest") {
    const taps = interpolation === "bilinear" ? linearTaps : nearestTaps;
    const xs = taps(p.width, p.cropLeft, region.width / p.resizeWidth, region.width);
    const ys = taps(p.height, p.cropTop, region.height / p.resizeHeight, region.height);
    data = sampleToTensor({ data: image.data, width: image.width, left: region.left, top: region.top }, xs, ys, spec);
  } else if (interpolation === "pil-bilinear") {
    const rgb = pilResize(image, region, {
      width: p.resizeWidth,
      height: p.resizeHeight,
      cropLeft: p.cropLeft,
      cropTop: p.cropTop,
      windowWidth: p.width,
      windowHeight: p.height,
    });
    data = pixelsToTensor(rgb, p.width, p.height, spec).data;
  } else {
    const rgb = await resizeWithSharp(image, region, p, SHARP_KERNELS[interpolation]);
    data = pixelsToTensor(rgb, p.width, p.height, spec).data;
  }
  return { tensor: { data, dims: tensorDims(spec) }, transform: inverse(region, spec, p) };
}

const SHARP_KERNELS = {
  "sharp-linear": "linear",
  "sharp-cubic": "cubic",
  "sharp-lanczos3": "lanczos3",
} as const;
