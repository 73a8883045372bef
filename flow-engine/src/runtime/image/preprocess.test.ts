import { describe, expect, it } from "vitest";
import { paint, solid } from "../../testing/images.js";
import { pixelsToTensor, preprocessRegion, type TensorSpec } from "./preprocess.js";

const whole = (image: { width: number; height: number }) => ({
  left: 0,
  top: 0,
  width: image.width,
  height: image.height,
});

const base: TensorSpec = { width: 4, height: 2, resize: "stretch", colorOrder: "RGB", layout: "NCHW" };

describe("pixelsToTensor", () => {
  const image = paint(4, 2, (x, y) => [x * 10, y * 100, 255]);

  it("writes planes in NCHW and scales by 1/255 by default", () => {
    const t = pixelsToTensor(image.data, 4, 2, base);
    expect(t.dims).toEqual([1, 3, 2, 4]);
    expect(t.data[3]).toBeCloseTo(30 / 255, 6); // R of (3,0)
    expect(t.data[8 + 4]).toBeCloseTo(100 / 255, 6); // G of (0,1)
    expect(t.data[16]).toBeCloseTo(1, 6); // B of (0,0)
  });

  it("interleaves channels in NHWC and swaps R and B for BGR", () => {
    const t = pixelsToTensor(image.data, 4, 2, { ...base, layout: "NHWC", colorOrder: "BGR", scale: 1 });
    expect(t.dims).toEqual([1, 2, 4, 3]);
    // pixel (2,1): R=20 G=100 B=255 -> B, G, R
    expect(Array.from(t.data.subarray((1 * 4 + 2) * 3, (1 * 4 + 2) * 3 + 3))).toEqual([255, 100, 20]);
  });

  it("applies (px * scale - mean) / std per channel", () => {
    const t = pixelsToTensor(image.data, 4, 2, { ...base, scale: 1, mean: [127, 0, 255], std: [128, 2, 1] });
    expect(t.data[1]).toBeCloseTo((10 - 127) / 128, 6);
    expect(t.data[8 + 5]).toBeCloseTo(100 / 2, 6);
    expect(t.data[16 + 7]).toBeCloseTo(0, 6);
  });

  it("converts to one luminance channel for GRAY", () => {
    const grey = paint(1, 1, () => [255, 0, 0]);
    const t = pixelsToTensor(grey.data, 1, 1, { ...base, width: 1, height: 1, colorOrder: "GRAY", scale: 1 });
    expect(t.dims).toEqual([1, 1, 1, 1]);
    expect(t.data[0]).toBe(76); // round(0.299 * 255)
  });
});

describe("preprocessRegion", () => {
  it("stretches to the input size and maps input boxes back to the region", async () => {
    const image = solid(40, 20, [255, 0, 0]);
    const { tensor, transform } = await preprocessRegion(image, whole(image), { ...base, width: 8, height: 8 });
    expect(tensor.dims).toEqual([1, 3, 8, 8]);
    expect(Array.from(tensor.data.subarray(0, 64)).every((v) => v === 1)).toBe(true);
    expect(Array.from(tensor.data.subarray(64)).every((v) => v === 0)).toBe(true);
    expect(transform([0, 0, 8, 8])).toEqual([0, 0, 40, 20]);
    expect(transform([2, 4, 4, 6])).toEqual([10, 10, 20, 15]);
  });

  it("letterboxes at the top-left with the pad value, and inverts by the ratio", async () => {
    const image = solid(20, 10, [0, 0, 0]);
    const spec: TensorSpec = { ...base, width: 8, height: 8, resize: "letterbox", scale: 1, padValue: 114 };
    const { tensor, transform } = await preprocessRegion(image, whole(image), spec);
    // r = min(8/20, 8/10) = 0.4 -> 8x4 image rows 0..3, padding rows 4..7
    const plane = Array.from(tensor.data.subarray(0, 64));
    expect(plane.slice(0, 32).every((v) => v === 0)).toBe(true);
    expect(plane.slice(32).every((v) => v === 114)).toBe(true);
    expect(transform([0, 0, 8, 4])).toEqual([0, 0, 20, 10]);
    // Boxes reaching into the padding are clamped to the image.
    expect(transform([4, 2, 10, 8])).toEqual([10, 5, 20, 10]);
  });

  it("center-crops after resizing by the crop ratio", async () => {
    // Left half red, right half blue; the crop centres on the boundary.
    const image = paint(40, 20, (x) => (x < 20 ? [255, 0, 0] : [0, 0, 255]));
    const spec: TensorSpec = { ...base, width: 8, height: 8, resize: "center-crop", cropRatio: 0.5, scale: 1 };
    const { tensor, transform } = await preprocessRegion(image, whole(image), spec);
    // s = max(16/40, 16/20) = 0.8 -> 32x16, crop (12, 4) 8x8 -> root [15, 5, 25, 15]
    expect(transform([0, 0, 8, 8])).toEqual([15, 5, 25, 15]);
    const red = (x: number, y: number) => tensor.data[y * 8 + x];
    const blue = (x: number, y: number) => tensor.data[128 + y * 8 + x];
    expect(red(0, 0)).toBe(255);
    expect(blue(0, 0)).toBe(0);
    expect(red(7, 7)).toBe(0);
    expect(blue(7, 7)).toBe(255);
  });

  it("resizes the short side to 256 and crops 224 with the default ratio (ImageNet recipe)", async () => {
    const image = solid(512, 300, [10, 20, 30]);
    const spec: TensorSpec = { ...base, width: 224, height: 224, resize: "center-crop" };
    const { transform } = await preprocessRegion(image, whole(image), spec);
    // 300 -> 256 (s = 0.8533), 512 -> 437; crop left = round((437 - 224) / 2) = 107, top = 16
    const [x0, y0, x1, y1] = transform([0, 0, 224, 224]);
    expect(x0).toBeCloseTo(107 * (512 / 437), 6);
    expect(y0).toBeCloseTo(16 * (300 / 256), 6);
    expect(x1 - x0).toBeCloseTo(224 * (512 / 437), 6);
    expect(y1 - y0).toBeCloseTo(224 * (300 / 256), 6);
  });

  it("reads only the region's pixels and maps boxes into root coordinates", async () => {
    const image = paint(30, 30, (x, y) => (x >= 10 && x < 20 && y >= 5 && y < 15 ? [0, 255, 0] : [255, 0, 0]));
    const region = { left: 10, top: 5, width: 10, height: 10 };
    const { tensor, transform } = await preprocessRegion(image, region, { ...base, width: 5, height: 5, scale: 1 });
    expect(Array.from(tensor.data.subarray(25, 50)).every((v) => v === 255)).toBe(true);
    expect(Array.from(tensor.data.subarray(0, 25)).every((v) => v === 0)).toBe(true);
    expect(transform([0, 0, 5, 5])).toEqual([10, 5, 20, 15]);
  });

  it("resamples exactly as OpenCV's INTER_LINEAR by default (a 2x shrink averages 2x2 pixels)", async () => {
    let seed = 7;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) % 256;
    const image = paint(16, 12, () => [random(), random(), random()]);
    const { tensor } = await preprocessRegion(image, whole(image), { ...base, width: 8, height: 6, scale: 1 });
    for (let y = 0; y < 6; y++) {
      for (let x = 0; x < 8; x++) {
        for (let c = 0; c < 3; c++) {
          const px = (xx: number, yy: number) => image.data[(yy * 16 + xx) * 3 + c] as number;
          const mean = (px(2 * x, 2 * y) + px(2 * x + 1, 2 * y) + px(2 * x, 2 * y + 1) + px(2 * x + 1, 2 * y + 1)) / 4;
          expect(tensor.data[c * 48 + y * 8 + x]).toBe(Math.floor(mean + 0.5));
        }
      }
    }
  });

  it("samples nearest pixels for `nearest`", async () => {
    const image = paint(4, 1, (x) => [x * 60, 0, 0]);
    const { tensor } = await preprocessRegion(image, whole(image), {
      ...base,
      width: 2,
      height: 1,
      scale: 1,
      interpolation: "nearest",
    });
    expect(Array.from(tensor.data.subarray(0, 2))).toEqual([0, 120]);
  });

  it("resizes with sharp's kernels when asked, with the same placement and inverse", async () => {
    const image = paint(40, 20, (x) => (x < 20 ? [255, 0, 0] : [0, 0, 255]));
    const spec: TensorSpec = { ...base, width: 8, height: 8, resize: "letterbox", scale: 1 };
    const js = await preprocessRegion(image, whole(image), spec);
    const vips = await preprocessRegion(image, whole(image), { ...spec, interpolation: "sharp-linear" });
    expect(vips.transform([1, 2, 3, 4])).toEqual(js.transform([1, 2, 3, 4]));
    // Away from the colour edge both give the pure colours; the padding is the same.
    for (const i of [0, 7, 32, 63]) expect(vips.tensor.data[i]).toBe(js.tensor.data[i]);
    expect(vips.tensor.data[128 + 7]).toBe(255);
  });
});
