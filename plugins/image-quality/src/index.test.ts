import { existsSync, readFileSync } from "node:fs";

import { runAction } from "@vizflow/sdk/testkit";
import sharp, { type Sharp } from "sharp";
import { describe, expect, it } from "vitest";

import plugin, { measure, measureQuality, type QualityMeasures } from "./index.js";

async function raw(image: Sharp) {
  const { data, info } = await image.removeAlpha().raw().toBuffer({ resolveWithObject: true });
  return { data: new Uint8Array(data), width: info.width, height: info.height, channels: 3 as const };
}

/** A busy synthetic scene: stripes, a checkerboard and text, so there are edges to lose. */
function scene(): Sharp {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="320" height="200">
    <rect width="320" height="200" fill="#808080"/>
    ${Array.from({ length: 16 }, (_, i) => `<rect x="${i * 20}" y="0" width="10" height="100" fill="#1a1a1a"/>`).join("")}
    ${Array.from({ length: 32 }, (_, i) => `<rect x="${(i % 8) * 40 + ((i >> 3) % 2) * 20}" y="${100 + (i >> 3) * 25}" width="20" height="25" fill="#f0f0f0"/>`).join("")}
  </svg>`;
  return sharp(Buffer.from(svg));
}

describe("image quality", () => {
  it("ranks a blurred copy below the original", async () => {
    const sharpImage = measureQuality(await raw(scene()));
    const blurred = measureQuality(await raw(scene().blur(3)));
    expect(blurred.sharpness).toBeLessThan(sharpImage.sharpness / 4);
    // Blur keeps the mean luma.
    expect(Math.abs(blurred.brightness - sharpImage.brightness)).toBeLessThan(0.01);
  });

  const photo = "../shared/models/imgs/ortex_dog.jpg";
  it.skipIf(!existsSync(photo))(`ranks a blurred photo below the original (needs ${photo})`, async () => {
    const original = await runAction(measure, { image: readFileSync(photo), config: {} });
    const blurred = await runAction(measure, {
      image: await sharp(readFileSync(photo)).blur(2).jpeg().toBuffer(),
      config: {},
    });
    const sharpness = (output: typeof original) => (output.write?.quality as QualityMeasures).sharpness;
    expect(sharpness(blurred)).toBeLessThan(sharpness(original));
  });

  it("measures brightness, contrast and resolution on known images", () => {
    const black = measureQuality({ data: new Uint8Array(40 * 30 * 3), width: 40, height: 30, channels: 3 });
    expect(black).toEqual({ sharpness: 0, brightness: 0, contrast: 0, width: 40, height: 30, megapixels: 0.001 });
    // Left half black, right half white: mean 0.5, RMS contrast 0.5.
    const half = new Uint8Array(10 * 10 * 3);
    for (let y = 0; y < 10; y++) half.fill(255, (y * 10 + 5) * 3, (y * 10 + 10) * 3);
    const measures = measureQuality({ data: half, width: 10, height: 10, channels: 3 });
    expect(measures.brightness).toBeCloseTo(0.5, 3);
    expect(measures.contrast).toBeCloseTo(0.5, 3);
    expect(measures.sharpness).toBeGreaterThan(0);
  });

  it("writes the measures of an object's crop under the configured field", async () => {
    const image = await raw(scene());
    const output = await runAction(measure, {
      image,
      config: { output: "q" },
      object: { name: "thing", prob: 1, bound_box: [0, 100, 160, 200] },
    });
    expect(output.write?.q).toMatchObject({ width: 160, height: 100 });
  });

  it("is a service with declared credits and output schema", () => {
    expect(plugin.name).toBe("quality");
    expect(measure.service).toBe(true);
    expect(measure.credits).toBe(1);
  });
});
