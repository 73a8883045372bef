import { describe, expect, it } from "vitest";

import type { RawImage } from "../action.js";
import { cropImage, imageToTensor, resizeImage, TestScopeImage } from "./image.js";

/** A gray image whose pixel at (x, y) is `value(x, y)`. */
function gray(width: number, height: number, value: (x: number, y: number) => number): RawImage {
  const data = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = value(x, y);
  return { data, width, height, channels: 1 };
}

const rgbPixel = (r: number, g: number, b: number): RawImage => ({
  data: new Uint8Array([r, g, b]),
  width: 1,
  height: 1,
  channels: 3,
});

describe("cropImage", () => {
  it("copies the pixels of a box and clamps it to the image", () => {
    const image = gray(4, 3, (x, y) => y * 10 + x);
    expect(cropImage(image, [1, 1, 3, 3])).toEqual({
      data: new Uint8Array([11, 12, 21, 22]),
      width: 2,
      height: 2,
      channels: 1,
    });
    expect(cropImage(image, [2.6, -5, 99, 1])).toEqual({ data: new Uint8Array([3]), width: 1, height: 1, channels: 1 });
  });
});

describe("resizeImage", () => {
  it("interpolates bilinearly between pixel centres", () => {
    expect([
      ...resizeImage(
        gray(2, 1, (x) => x * 100),
        4,
        1,
      ).data,
    ]).toEqual([0, 25, 75, 100]);
  });

  it("averages when shrinking by two", () => {
    expect([
      ...resizeImage(
        gray(4, 2, (x, y) => (x + y) * 20),
        2,
        1,
      ).data,
    ]).toEqual([20, 60]);
  });
});

describe("imageToTensor", () => {
  it("stretches into NCHW float32 with scale, mean and std per channel", () => {
    const { tensor } = imageToTensor(rgbPixel(255, 0, 51), {
      width: 2,
      height: 1,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
      mean: [0.5, 0, 0],
      std: [0.5, 1, 0.2],
    });
    expect(tensor.dims).toEqual([1, 3, 1, 2]);
    expect([...tensor.data].map((v) => Number(v.toFixed(3)))).toEqual([1, 1, 0, 0, 1, 1]);
  });

  it("orders channels BGR in NHWC, and takes luminance for GRAY", () => {
    const bgr = imageToTensor(rgbPixel(10, 20, 30), {
      width: 1,
      height: 1,
      resize: "stretch",
      colorOrder: "BGR",
      layout: "NHWC",
      scale: 1,
    });
    expect(bgr.tensor.dims).toEqual([1, 1, 1, 3]);
    expect([...bgr.tensor.data]).toEqual([30, 20, 10]);
    const g = imageToTensor(rgbPixel(100, 100, 100), {
      width: 1,
      height: 1,
      resize: "stretch",
      colorOrder: "GRAY",
      layout: "NCHW",
      scale: 1,
    });
    expect(g.tensor.dims).toEqual([1, 1, 1, 1]);
    expect(g.tensor.data[0]).toBeCloseTo(100, 4);
  });

  it("letterboxes at the top-left with the pad value and maps boxes back by the ratio", () => {
    const { tensor, transform } = imageToTensor(
      gray(8, 4, () => 200),
      {
        width: 4,
        height: 4,
        resize: "letterbox",
        colorOrder: "GRAY",
        layout: "NCHW",
        scale: 1,
      },
    );
    expect([...tensor.data].map(Math.round)).toEqual([
      200, 200, 200, 200, 200, 200, 200, 200, 114, 114, 114, 114, 114, 114, 114, 114,
    ]);
    expect(transform([0, 0, 4, 2])).toEqual([0, 0, 8, 4]);
  });

  it("center-crops after scaling the short side and maps boxes back into the original", () => {
    const { tensor, transform } = imageToTensor(
      gray(8, 4, (x) => x * 10),
      {
        width: 2,
        height: 2,
        resize: "center-crop",
        colorOrder: "GRAY",
        layout: "NCHW",
        scale: 1,
      },
    );
    // 8x4 -> 4x2 (columns average pairs: 5, 25, 45, 65), then the middle 2 columns.
    expect([...tensor.data].map(Math.round)).toEqual([25, 45, 25, 45]);
    expect(transform([0, 0, 2, 2])).toEqual([2, 0, 6, 4]);
  });
});

describe("TestScopeImage", () => {
  const root = gray(10, 10, (x, y) => y * 10 + x);

  it("crops an object's scope and maps its boxes to root pixels", async () => {
    const scope = new TestScopeImage(root).crop([2, 3, 6, 5]);
    expect([scope.width, scope.height, scope.box]).toEqual([4, 2, [2, 3, 6, 5]]);
    expect([...(await scope.pixels()).data]).toEqual([32, 33, 34, 35, 42, 43, 44, 45]);
    expect(scope.toRoot([1, 1, 2, 2])).toEqual([3, 4, 4, 5]);
    const { transform } = await scope.toTensor({
      width: 8,
      height: 4,
      resize: "stretch",
      colorOrder: "GRAY",
      layout: "NCHW",
    });
    expect(transform([0, 0, 8, 4])).toEqual([2, 3, 6, 5]);
  });
});
