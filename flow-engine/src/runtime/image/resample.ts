/**
 * Resampling and normalisation in one pass on the JS thread: each input-tensor value is computed
 * straight from root pixels (no intermediate image, no copy of the crop), so only the pixels that
 * land in the model input are touched (a center-crop skips its margins).
 */
import type { PreprocessSpec } from "@vizflow/sdk";

/** Per output column (or row): the two source pixels and the weight of the second. */
export interface Taps {
  i0: Int32Array;
  i1: Int32Array;
  t: Float32Array;
}

/**
 * Taps of OpenCV's INTER_LINEAR (half-pixel centres, clamped at the borders) for `count` outputs
 * starting at output coordinate `offset`, sampling a source of `size` pixels at `scale` source/output.
 */
export function linearTaps(count: number, offset: number, scale: number, size: number): Taps {
  const taps = { i0: new Int32Array(count), i1: new Int32Array(count), t: new Float32Array(count) };
  for (let d = 0; d < count; d++) {
    const f = Math.max(0, (d + offset + 0.5) * scale - 0.5);
    let i = Math.floor(f);
    let w = f - i;
    if (i >= size - 1) [i, w] = [size - 1, 0];
    taps.i0[d] = i;
    taps.i1[d] = Math.min(i + 1, size - 1);
    taps.t[d] = w;
  }
  return taps;
}

/** Taps of OpenCV's INTER_NEAREST: floor(d * scale). */
export function nearestTaps(count: number, offset: number, scale: number, size: number): Taps {
  const taps = { i0: new Int32Array(count), i1: new Int32Array(count), t: new Float32Array(count) };
  for (let d = 0; d < count; d++) {
    const i = Math.min(size - 1, Math.floor((d + offset) * scale));
    taps.i0[d] = i;
    taps.i1[d] = i;
  }
  return taps;
}

/** Taps that copy `count` pixels one to one. */
export function identityTaps(count: number): Taps {
  const i = Int32Array.from({ length: count }, (_, d) => d);
  return { i0: i, i1: i, t: new Float32Array(count) };
}

function perChannel(values: readonly number[] | undefined, channel: number, fallback: number): number {
  if (values === undefined || values.length === 0) return fallback;
  return values[Math.min(channel, values.length - 1)] ?? fallback;
}

/** value = (px * scale - mean) / std = one lookup per channel and byte. */
function lookupTables(spec: PreprocessSpec, channels: number): Float32Array[] {
  const scale = spec.scale ?? 1 / 255;
  const luts: Float32Array[] = [];
  for (let c = 0; c < channels; c++) {
    const std = perChannel(spec.std, c, 1);
    const mean = perChannel(spec.mean, c, 0);
    const lut = new Float32Array(256);
    for (let v = 0; v < 256; v++) lut[v] = (v * scale - mean) / std;
    luts.push(lut);
  }
  return luts;
}

export interface SampleSource {
  /** Interleaved RGB bytes. */
  data: Uint8Array;
  /** Row length of `data` in pixels. */
  width: number;
  /** Top-left of the sampled rectangle in `data`; taps are relative to it. */
  left: number;
  top: number;
}

/** Bilinear in floats, rounded to a byte as cv2.resize does on uint8 images. */
function lerp2(src: Uint8Array, a0: number, b0: number, a1: number, b1: number, tx: number, ty: number): number {
  const p = src[a0] as number;
  const q = src[a1] as number;
  const top = p + ((src[b0] as number) - p) * tx;
  const bottom = q + ((src[b1] as number) - q) * tx;
  return (top + (bottom - top) * ty + 0.5) | 0;
}

/**
 * Writes a spec.width x spec.height tensor: the `xs.length` x `ys.length` top-left block is sampled
 * from `source` through the taps (rounded to bytes as OpenCV does), the rest is `padValue`.
 */
export function sampleToTensor(source: SampleSource, xs: Taps, ys: Taps, spec: PreprocessSpec): Float32Array {
  const W = spec.width;
  const H = spec.height;
  const width = xs.i0.length;
  const height = ys.i0.length;
  const gray = spec.colorOrder === "GRAY";
  const C = gray ? 1 : 3;
  const nchw = spec.layout === "NCHW";
  const plane = W * H;
  const luts = lookupTables(spec, C);
  const l0 = luts[0] as Float32Array;
  const l1 = luts[1] ?? l0;
  const l2 = luts[2] ?? l0;
  const out = new Float32Array(C * plane);

  if (width < W || height < H) {
    const pad = Math.round(spec.padValue ?? 114);
    for (let c = 0; c < C; c++) {
      const value = (luts[c] as Float32Array)[pad] as number;
      for (let y = 0; y < H; y++) {
        for (let x = y < height ? width : 0; x < W; x++)
          out[nchw ? c * plane + y * W + x : (y * W + x) * C + c] = value;
      }
    }
  }

  // Output channel 0 reads R for RGB and B for BGR; channel 2 the other way round.
  const first = spec.colorOrder === "BGR" ? 2 : 0;
  const last = 2 - first;
  const src = source.data;
  const stride = source.width * 3;
  const xi0 = new Int32Array(width);
  const xi1 = new Int32Array(width);
  for (let x = 0; x < width; x++) {
    xi0[x] = (source.left + (xs.i0[x] as number)) * 3;
    xi1[x] = (source.left + (xs.i1[x] as number)) * 3;
  }
  const xt = xs.t;
  for (let y = 0; y < height; y++) {
    const ty = ys.t[y] as number;
    const r0 = (source.top + (ys.i0[y] as number)) * stride;
    const r1 = (source.top + (ys.i1[y] as number)) * stride;
    const rowOut = y * W;
    for (let x = 0; x < width; x++) {
      const tx = xt[x] as number;
      const a0 = r0 + (xi0[x] as number);
      const b0 = r0 + (xi1[x] as number);
      const a1 = r1 + (xi0[x] as number);
      const b1 = r1 + (xi1[x] as number);
      const o = rowOut + x;
      const v0 = lerp2(src, a0 + first, b0 + first, a1 + first, b1 + first, tx, ty);
      const v1 = lerp2(src, a0 + 1, b0 + 1, a1 + 1, b1 + 1, tx, ty);
      const v2 = lerp2(src, a0 + last, b0 + last, a1 + last, b1 + last, tx, ty);
      if (gray) {
        // v0..v2 are R, G, B here (GRAY keeps RGB order).
        out[o] = l0[Math.round(0.299 * v0 + 0.587 * v1 + 0.114 * v2)] as number;
      } else if (nchw) {
        out[o] = l0[v0] as number;
        out[o + plane] = l1[v1] as number;
        out[o + 2 * plane] = l2[v2] as number;
      } else {
        out[o * 3] = l0[v0] as number;
        out[o * 3 + 1] = l1[v1] as number;
        out[o * 3 + 2] = l2[v2] as number;
      }
    }
  }
  return out;
}
