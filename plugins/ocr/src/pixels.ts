/** Small pixel operations the OCR pipeline needs on crops of the scope (the engine only preprocesses whole scopes). */
import type { RawImage, Tensor } from "@vizflow/sdk";

/** Integer box `[x0, y0, x1, y1)` clamped to the image, at least 1x1. */
export function clampBox(image: RawImage, [a, b, c, d]: readonly number[]): [number, number, number, number] {
  const x0 = Math.min(Math.max(Math.floor(a ?? 0), 0), image.width - 1);
  const y0 = Math.min(Math.max(Math.floor(b ?? 0), 0), image.height - 1);
  const x1 = Math.max(Math.min(Math.ceil(c ?? 0), image.width), x0 + 1);
  const y1 = Math.max(Math.min(Math.ceil(d ?? 0), image.height), y0 + 1);
  return [x0, y0, x1, y1];
}

/**
 * Crops `box` of `image`, resizes it bilinearly to `height` x `width` (pixel centres aligned, as OpenCV),
 * optionally rotated by 180 degrees, and writes it as BGR, (px / 255 - 0.5) / 0.5, into an NCHW tensor
 * of `paddedWidth` columns (the rest stays 0, PaddleOCR's padding).
 */
export function cropToTensor(
  image: RawImage,
  box: readonly number[],
  width: number,
  height: number,
  paddedWidth: number,
  rotate180 = false,
): Tensor & { data: Float32Array } {
  const [x0, y0, x1, y1] = clampBox(image, box);
  const cw = x1 - x0;
  const ch = y1 - y0;
  const { data, channels } = image;
  const plane = height * paddedWidth;
  const out = new Float32Array(3 * plane);
  const sx = cw / width;
  const sy = ch / height;
  for (let y = 0; y < height; y++) {
    const fy = Math.min(Math.max((y + 0.5) * sy - 0.5, 0), ch - 1);
    const ya = Math.floor(fy);
    const yb = Math.min(ya + 1, ch - 1);
    const wy = fy - ya;
    for (let x = 0; x < width; x++) {
      const fx = Math.min(Math.max((x + 0.5) * sx - 0.5, 0), cw - 1);
      const xa = Math.floor(fx);
      const xb = Math.min(xa + 1, cw - 1);
      const wx = fx - xa;
      const at = (px: number, py: number, c: number) =>
        data[((y0 + py) * image.width + x0 + px) * channels + (channels >= 3 ? c : 0)] ?? 0;
      const tx = rotate180 ? width - 1 - x : x;
      const ty = rotate180 ? height - 1 - y : y;
      for (let c = 0; c < 3; c++) {
        const top = at(xa, ya, c) * (1 - wx) + at(xb, ya, c) * wx;
        const bottom = at(xa, yb, c) * (1 - wx) + at(xb, yb, c) * wx;
        const value = top * (1 - wy) + bottom * wy;
        // RGB in, BGR out: PaddleOCR's models were trained on OpenCV's BGR images.
        out[(2 - c) * plane + ty * paddedWidth + tx] = (value / 255 - 0.5) / 0.5;
      }
    }
  }
  return { data: out, dims: [1, 3, height, paddedWidth] };
}
