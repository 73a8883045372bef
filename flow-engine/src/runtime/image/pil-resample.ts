/**
 * PIL's antialiased bilinear resize (`Image.resize(size, Image.BILINEAR)`, which torchvision's `Resize`
 * calls on PIL images), reproduced step by step from Pillow's `Resample.c`: the triangle filter widened by
 * the shrink factor, coefficients in 22-bit fixed point, a horizontal pass rounded to 8 bits, then a
 * vertical pass. Classifiers trained with torchvision recipes (MobileNet, ResNet, EfficientNet) saw inputs
 * made this way; OpenCV's INTER_LINEAR, which skips most pixels when shrinking, changes their answers.
 */

const PRECISION_BITS = 32 - 8 - 2;
const ONE = 2 ** PRECISION_BITS;
const HALF = 2 ** (PRECISION_BITS - 1);

/** Per output pixel: the first source pixel, how many it reads, and their fixed-point weights. */
interface Coefficients {
  first: Int32Array;
  count: Int32Array;
  /** `ksize` weights per output pixel. */
  weights: Int32Array;
  ksize: number;
}

function triangle(x: number): number {
  const a = Math.abs(x);
  return a < 1 ? 1 - a : 0;
}

/** Pillow's `precompute_coeffs` + `normalize_coeffs_8bpc` for the bilinear filter (support 1). */
export function pilCoefficients(inSize: number, outSize: number): Coefficients {
  const scale = inSize / outSize;
  const filterScale = Math.max(1, scale);
  const support = filterScale;
  const ksize = Math.ceil(support) * 2 + 1;
  const first = new Int32Array(outSize);
  const count = new Int32Array(outSize);
  const weights = new Int32Array(outSize * ksize);
  const k = new Float64Array(ksize);
  for (let xx = 0; xx < outSize; xx++) {
    const center = (xx + 0.5) * scale;
    // C's (int) truncates toward zero; below zero it is clamped anyway.
    const xmin = Math.max(0, Math.trunc(center - support + 0.5));
    const xmax = Math.min(inSize, Math.trunc(center + support + 0.5)) - xmin;
    let sum = 0;
    for (let x = 0; x < xmax; x++) {
      k[x] = triangle((x + xmin - center + 0.5) / filterScale);
      sum += k[x] ?? 0;
    }
    for (let x = 0; x < xmax; x++) {
      const w = sum === 0 ? (k[x] ?? 0) : (k[x] ?? 0) / sum;
      weights[xx * ksize + x] = Math.trunc(0.5 + w * ONE);
    }
    first[xx] = xmin;
    count[xx] = xmax;
  }
  return { first, count, weights, ksize };
}

function clip8(fixed: number): number {
  const v = Math.floor(fixed / ONE);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

export interface RgbImage {
  data: Uint8Array;
  width: number;
  height: number;
}

/**
 * Resizes `region` of an RGB image to `outWidth` x `outHeight` as PIL does, and returns the window
 * `[cropLeft, cropLeft + width) x [cropTop, cropTop + height)` of the result (a center-crop computes only
 * the pixels it keeps: PIL computes them the same way, pixel by pixel, so the crop changes nothing).
 */
export function pilResize(
  image: RgbImage,
  region: { left: number; top: number; width: number; height: number },
  out: { width: number; height: number; cropLeft: number; cropTop: number; windowWidth: number; windowHeight: number },
): Uint8Array {
  const horizontal = pilCoefficients(region.width, out.width);
  const vertical = pilCoefficients(region.height, out.height);
  const { cropLeft, cropTop, windowWidth: W, windowHeight: H } = out;

  // Source rows the vertical pass reads for the window, and the horizontal pass over just those.
  const rowFirst = vertical.first[cropTop] ?? 0;
  const lastY = cropTop + H - 1;
  const rowEnd = (vertical.first[lastY] ?? 0) + (vertical.count[lastY] ?? 0);
  const rows = rowEnd - rowFirst;
  const temp = new Uint8Array(rows * W * 3);
  for (let r = 0; r < rows; r++) {
    const srcRow = (region.top + rowFirst + r) * image.width;
    for (let x = 0; x < W; x++) {
      const xx = cropLeft + x;
      const start = horizontal.first[xx] ?? 0;
      const n = horizontal.count[xx] ?? 0;
      const base = xx * horizontal.ksize;
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let i = 0; i < n; i++) {
        const w = horizontal.weights[base + i] ?? 0;
        const p = (srcRow + region.left + start + i) * 3;
        s0 += (image.data[p] ?? 0) * w;
        s1 += (image.data[p + 1] ?? 0) * w;
        s2 += (image.data[p + 2] ?? 0) * w;
      }
      const o = (r * W + x) * 3;
      temp[o] = clip8(s0);
      temp[o + 1] = clip8(s1);
      temp[o + 2] = clip8(s2);
    }
  }

  const result = new Uint8Array(W * H * 3);
  for (let y = 0; y < H; y++) {
    const yy = cropTop + y;
    const start = (vertical.first[yy] ?? 0) - rowFirst;
    const n = vertical.count[yy] ?? 0;
    const base = yy * vertical.ksize;
    for (let x = 0; x < W; x++) {
      let s0 = HALF;
      let s1 = HALF;
      let s2 = HALF;
      for (let i = 0; i < n; i++) {
        const w = vertical.weights[base + i] ?? 0;
        const p = ((start + i) * W + x) * 3;
        s0 += (temp[p] ?? 0) * w;
        s1 += (temp[p + 1] ?? 0) * w;
        s2 += (temp[p + 2] ?? 0) * w;
      }
      const o = (y * W + x) * 3;
      result[o] = clip8(s0);
      result[o + 1] = clip8(s1);
      result[o + 2] = clip8(s2);
    }
  }
  return result;
}
