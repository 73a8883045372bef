/** Pixel operations of the redaction: blur, pixelate or fill a box; downscale the result. */
import type { RawImage } from "@vizflow/sdk";

export type RedactMethod = "blur" | "pixelate" | "fill";

/** Copies any image to interleaved RGB. */
export function toRgb(image: RawImage): Uint8Array {
  if (image.channels === 3) return new Uint8Array(image.data);
  const out = new Uint8Array(image.width * image.height * 3);
  for (let i = 0; i < image.width * image.height; i++) {
    for (let c = 0; c < 3; c++) out[i * 3 + c] = image.data[i * image.channels + (image.channels === 1 ? 0 : c)] ?? 0;
  }
  return out;
}

/** Integer pixel box inside a `width` x `height` image; undefined when it covers no pixel. */
export function pixelBox(
  [a, b, c, d]: readonly number[],
  width: number,
  height: number,
): [number, number, number, number] | undefined {
  const x0 = Math.max(Math.floor(a ?? 0), 0);
  const y0 = Math.max(Math.floor(b ?? 0), 0);
  const x1 = Math.min(Math.ceil(c ?? 0), width);
  const y1 = Math.min(Math.ceil(d ?? 0), height);
  return x1 > x0 && y1 > y0 ? [x0, y0, x1, y1] : undefined;
}

/** One horizontal then vertical box-blur pass of `radius` inside the box (edges clamp to the box). */
function boxBlurPass(rgb: Uint8Array, width: number, box: readonly number[], radius: number): void {
  const [x0 = 0, y0 = 0, x1 = 0, y1 = 0] = box;
  const w = x1 - x0;
  const h = y1 - y0;
  const line = new Float32Array(Math.max(w, h) * 3);
  const blurLine = (n: number, at: (i: number) => number) => {
    for (let c = 0; c < 3; c++) {
      let sum = 0;
      for (let k = -radius; k <= radius; k++) sum += rgb[at(Math.min(Math.max(k, 0), n - 1)) + c] ?? 0;
      for (let i = 0; i < n; i++) {
        line[i * 3 + c] = sum / (2 * radius + 1);
        sum += (rgb[at(Math.min(i + radius + 1, n - 1)) + c] ?? 0) - (rgb[at(Math.max(i - radius, 0)) + c] ?? 0);
      }
    }
    for (let i = 0; i < n; i++) for (let c = 0; c < 3; c++) rgb[at(i) + c] = Math.round(line[i * 3 + c] ?? 0);
  };
  for (let y = y0; y < y1; y++) blurLine(w, (i) => (y * width + x0 + i) * 3);
  for (let x = x0; x < x1; x++) blurLine(h, (i) => ((y0 + i) * width + x) * 3);
}

/**
 * Redacts `box` in place. `strength` 1..100 sets how much detail goes: the blur radius or block size is
 * that percentage of the box's shorter side (at least 2 pixels), so faces of any size are equally hidden.
 */
export function redactBox(
  rgb: Uint8Array,
  width: number,
  box: readonly [number, number, number, number],
  method: RedactMethod,
  strength: number,
): void {
  const [x0, y0, x1, y1] = box;
  const size = Math.max(2, Math.round((Math.min(x1 - x0, y1 - y0) * strength) / 100));
  if (method === "blur") {
    // Three box passes approximate a Gaussian.
    for (let pass = 0; pass < 3; pass++) boxBlurPass(rgb, width, box, size);
    return;
  }
  for (let by = y0; by < y1; by += method === "fill" ? y1 - y0 : size) {
    for (let bx = x0; bx < x1; bx += method === "fill" ? x1 - x0 : size) {
      const ex = method === "fill" ? x1 : Math.min(bx + size, x1);
      const ey = method === "fill" ? y1 : Math.min(by + size, y1);
      const mean = [0, 0, 0];
      for (let y = by; y < ey; y++) {
        for (let x = bx; x < ex; x++)
          for (let c = 0; c < 3; c++) mean[c] = (mean[c] ?? 0) + (rgb[(y * width + x) * 3 + c] ?? 0);
      }
      const n = (ex - bx) * (ey - by);
      const value = method === "fill" ? [0, 0, 0] : mean.map((v) => Math.round(v / n));
      for (let y = by; y < ey; y++) {
        for (let x = bx; x < ex; x++) for (let c = 0; c < 3; c++) rgb[(y * width + x) * 3 + c] = value[c] ?? 0;
      }
    }
  }
}

/** Area-average downscale so the longer side is at most `maxSide` (no-op when already small enough). */
export function downscale(
  rgb: Uint8Array,
  width: number,
  height: number,
  maxSide: number,
): { rgb: Uint8Array; width: number; height: number } {
  const factor = Math.max(width, height) / maxSide;
  if (factor <= 1) return { rgb, width, height };
  const w = Math.max(1, Math.round(width / factor));
  const h = Math.max(1, Math.round(height / factor));
  const out = new Uint8Array(w * h * 3);
  for (let y = 0; y < h; y++) {
    const sy0 = Math.floor((y * height) / h);
    const sy1 = Math.max(Math.floor(((y + 1) * height) / h), sy0 + 1);
    for (let x = 0; x < w; x++) {
      const sx0 = Math.floor((x * width) / w);
      const sx1 = Math.max(Math.floor(((x + 1) * width) / w), sx0 + 1);
      for (let c = 0; c < 3; c++) {
        let sum = 0;
        for (let sy = sy0; sy < sy1; sy++)
          for (let sx = sx0; sx < sx1; sx++) sum += rgb[(sy * width + sx) * 3 + c] ?? 0;
        out[(y * w + x) * 3 + c] = Math.round(sum / ((sy1 - sy0) * (sx1 - sx0)));
      }
    }
  }
  return { rgb: out, width: w, height: h };
}
