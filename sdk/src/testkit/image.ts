/**
 * Pure-JS image operations for the test kit: crop, bilinear resize, preprocessing to a model tensor.
 * Slow but exact and dependency-free; the engine does the same with sharp.
 */
import type { PreprocessSpec, RawImage, ScopeImage, Tensor } from "../action.js";
import type { BoundingBox } from "../records.js";

/** Integer pixel box `[x0, y0, x1, y1)` of `box` inside an image, at least 1x1. */
export function pixelBox(image: { width: number; height: number }, box: BoundingBox): BoundingBox {
  const clampX = (v: number) => Math.min(Math.max(Math.round(v), 0), image.width);
  const clampY = (v: number) => Math.min(Math.max(Math.round(v), 0), image.height);
  const x0 = Math.min(clampX(box[0]), image.width - 1);
  const y0 = Math.min(clampY(box[1]), image.height - 1);
  return [x0, y0, Math.max(clampX(box[2]), x0 + 1), Math.max(clampY(box[3]), y0 + 1)];
}

/** Copies the pixels of `box` (rounded to whole pixels, clamped to the image). */
export function cropImage(image: RawImage, box: BoundingBox): RawImage {
  const [x0, y0, x1, y1] = pixelBox(image, box);
  const width = x1 - x0;
  const height = y1 - y0;
  const { channels } = image;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const from = ((y0 + y) * image.width + x0) * channels;
    data.set(image.data.subarray(from, from + width * channels), y * width * channels);
  }
  return { data, width, height, channels };
}

/** Bilinear resize with pixel centres aligned (as OpenCV's INTER_LINEAR). */
export function resizeImage(image: RawImage, width: number, height: number): RawImage {
  if (width === image.width && height === image.height) return image;
  const { channels } = image;
  const data = new Uint8Array(width * height * channels);
  const sx = image.width / width;
  const sy = image.height / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), image.height - 1);
    const y0 = Math.floor(fy);
    const y1 = Math.min(y0 + 1, image.height - 1);
    const wy = fy - y0;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), image.width - 1);
      const x0 = Math.floor(fx);
      const x1 = Math.min(x0 + 1, image.width - 1);
      const wx = fx - x0;
      const p00 = (y0 * image.width + x0) * channels;
      const p10 = (y0 * image.width + x1) * channels;
      const p01 = (y1 * image.width + x0) * channels;
      const p11 = (y1 * image.width + x1) * channels;
      for (let c = 0; c < channels; c++) {
        const top = (image.data[p00 + c] ?? 0) * (1 - wx) + (image.data[p10 + c] ?? 0) * wx;
        const bottom = (image.data[p01 + c] ?? 0) * (1 - wx) + (image.data[p11 + c] ?? 0) * wx;
        data[(y * width + x) * channels + c] = Math.round(top * (1 - wy) + bottom * wy);
      }
    }
  }
  return { data, width, height, channels };
}

/**
 * Preprocesses an image into a float32 model input as `spec` says. Letterbox places the image at the
 * top-left (as YOLOX's reference recipe). `transform` maps a box in model-input pixels to image pixels.
 */
export function imageToTensor(
  image: RawImage,
  spec: PreprocessSpec,
): { tensor: FloatTensor; transform: (box: BoundingBox) => BoundingBox } {
  const { width: W, height: H } = spec;
  let canvas: RawImage;
  let transform: (box: BoundingBox) => BoundingBox;
  if (spec.resize === "stretch") {
    canvas = resizeImage(image, W, H);
    const sx = W / image.width;
    const sy = H / image.height;
    transform = ([a, b, c, d]) => [a / sx, b / sy, c / sx, d / sy];
  } else if (spec.resize === "letterbox") {
    const r = Math.min(W / image.width, H / image.height);
    const resized = resizeImage(
      image,
      Math.max(1, Math.round(image.width * r)),
      Math.max(1, Math.round(image.height * r)),
    );
    const data = new Uint8Array(W * H * image.channels).fill(spec.padValue ?? 114);
    const rowBytes = Math.min(resized.width, W) * image.channels;
    for (let y = 0; y < Math.min(resized.height, H); y++) {
      const from = y * resized.width * image.channels;
      data.set(resized.data.subarray(from, from + rowBytes), y * W * image.channels);
    }
    canvas = { data, width: W, height: H, channels: image.channels };
    transform = ([a, b, c, d]) => [a / r, b / r, c / r, d / r];
  } else {
    const r = Math.max(W / image.width, H / image.height);
    const resized = resizeImage(
      image,
      Math.max(W, Math.round(image.width * r)),
      Math.max(H, Math.round(image.height * r)),
    );
    const ox = Math.floor((resized.width - W) / 2);
    const oy = Math.floor((resized.height - H) / 2);
    canvas = cropImage(resized, [ox, oy, ox + W, oy + H]);
    transform = ([a, b, c, d]) => [(a + ox) / r, (b + oy) / r, (c + ox) / r, (d + oy) / r];
  }
  return { tensor: normalise(canvas, spec), transform };
}

/** A model input as the test kit makes it: always float32. */
export interface FloatTensor extends Tensor {
  data: Float32Array;
}

function normalise(image: RawImage, spec: PreprocessSpec): FloatTensor {
  const { width, height, channels: source } = image;
  const gray = spec.colorOrder === "GRAY";
  const channels = gray ? 1 : 3;
  const scale = spec.scale ?? 1 / 255;
  const mean = spec.mean ?? [0];
  const std = spec.std ?? [1];
  const plane = width * height;
  const data = new Float32Array(plane * channels);
  for (let i = 0; i < plane; i++) {
    const r = image.data[i * source] ?? 0;
    const g = source >= 3 ? (image.data[i * source + 1] ?? 0) : r;
    const b = source >= 3 ? (image.data[i * source + 2] ?? 0) : r;
    const values = gray ? [0.299 * r + 0.587 * g + 0.114 * b] : spec.colorOrder === "BGR" ? [b, g, r] : [r, g, b];
    for (let c = 0; c < channels; c++) {
      const value = ((values[c] ?? 0) * scale - (mean[c % mean.length] ?? 0)) / (std[c % std.length] ?? 1);
      data[spec.layout === "NCHW" ? c * plane + i : i * channels + c] = value;
    }
  }
  return { data, dims: spec.layout === "NCHW" ? [1, channels, height, width] : [1, height, width, channels] };
}

/** A ScopeImage over decoded pixels: the whole image, or a crop of it for an object scope. */
export class TestScopeImage implements ScopeImage {
  readonly width: number;
  readonly height: number;
  readonly box: BoundingBox;
  readonly #root: RawImage;
  #pixels: RawImage | undefined;

  /** `box` is in root-image pixels; omitted means the whole image. */
  constructor(root: RawImage, box?: BoundingBox) {
    this.#root = root;
    this.box = pixelBox(root, box ?? [0, 0, root.width, root.height]);
    this.width = this.box[2] - this.box[0];
    this.height = this.box[3] - this.box[1];
  }

  pixels(): Promise<RawImage> {
    this.#pixels ??= cropImage(this.#root, this.box);
    return Promise.resolve(this.#pixels);
  }

  async toTensor(spec: PreprocessSpec): Promise<{ tensor: Tensor; transform: (box: BoundingBox) => BoundingBox }> {
    const { tensor, transform } = imageToTensor(await this.pixels(), spec);
    return { tensor, transform: (box) => this.toRoot(transform(box)) };
  }

  toRoot([a, b, c, d]: BoundingBox): BoundingBox {
    const [x, y] = this.box;
    return [a + x, b + y, c + x, d + y];
  }

  /** The scope of an object: `box` in root-image pixels (a detected object's `bound_box`). */
  crop(box: BoundingBox): TestScopeImage {
    return new TestScopeImage(this.#root, box);
  }
}
