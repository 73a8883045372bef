import { readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { decodeImage } from "./decode.js";
import { pilCoefficients } from "./pil-resample.js";
import { preprocessRegion, type Interpolation, type TensorSpec } from "./preprocess.js";

// Written once by fixtures/make-pil-fixture.py with Pillow: a 500x375 image with aliasing detail, and
// what torchvision's Resize(256) + CenterCrop(224) make of it on a PIL image.
const FIXTURES = path.join(import.meta.dirname, "fixtures");

/** The ImageNet preset's tensor of the fixture, in 0..1 pixel units (no mean/std), NCHW. */
async function tensorOf(interpolation: Interpolation): Promise<Float32Array> {
  const image = await decodeImage(readFileSync(path.join(FIXTURES, "pil-input.png")));
  const spec: TensorSpec = {
    width: 224,
    height: 224,
    resize: "center-crop",
    colorOrder: "RGB",
    layout: "NCHW",
    interpolation,
  };
  const region = { left: 0, top: 0, width: image.width, height: image.height };
  return (await preprocessRegion(image, region, spec)).tensor.data;
}

async function expectedTensor(): Promise<Float32Array> {
  const expected = await decodeImage(readFileSync(path.join(FIXTURES, "pil-expected.png")));
  expect([expected.width, expected.height]).toEqual([224, 224]);
  const plane = 224 * 224;
  const out = new Float32Array(3 * plane);
  for (let i = 0; i < plane; i++) {
    for (let c = 0; c < 3; c++) out[c * plane + i] = (expected.data[i * 3 + c] ?? 0) / 255;
  }
  return out;
}

function meanAbsoluteDifference(a: Float32Array, b: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < a.length; i++) sum += Math.abs((a[i] ?? 0) - (b[i] ?? 0));
  return sum / a.length;
}

describe("PIL's antialiased bilinear resize (pil-bilinear)", () => {
  it("gives the ImageNet preset the tensor torchvision's Resize + CenterCrop give on PIL (under 1/255)", async () => {
    const difference = meanAbsoluteDifference(await tensorOf("pil-bilinear"), await expectedTensor());
    expect(difference).toBeLessThan(1 / 255);
    // Pillow's fixed-point steps are reproduced, so in practice the pixels are the same.
    expect(difference).toBeLessThan(0.01 / 255);
  });

  it("is a different picture from OpenCV's INTER_LINEAR, which skips pixels when shrinking", async () => {
    expect(meanAbsoluteDifference(await tensorOf("bilinear"), await expectedTensor())).toBeGreaterThan(5 / 255);
  });

  it("widens the triangle filter by the shrink factor and keeps weights summing to one", () => {
    const halve = pilCoefficients(8, 4);
    // Output pixel 1 (centre 3.0 in the source) reads source pixels 1..4 with weights 1/8, 3/8, 3/8, 1/8.
    expect(halve.first[1]).toBe(1);
    expect(halve.count[1]).toBe(4);
    const weights = Array.from(halve.weights.subarray(halve.ksize, halve.ksize + 4)).map((w) => w / 2 ** 22);
    expect(weights.map((w) => w.toFixed(4))).toEqual(["0.1250", "0.3750", "0.3750", "0.1250"]);
    const same = pilCoefficients(5, 5);
    expect(same.weights[2 * same.ksize]).toBe(2 ** 22);
  });
});
