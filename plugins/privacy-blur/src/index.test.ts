import { pluginProblems } from "@vizflow/sdk";
import { runAction } from "@vizflow/sdk/testkit";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

import plugin, { blur, encodePng } from "./index.js";

/** 200x100: a fine black-and-white checkerboard (lots of detail) on the left half, flat grey on the right. */
function checkerboard(): { data: Uint8Array; width: number; height: number; channels: 3 } {
  const width = 200;
  const height = 100;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const value = x >= 100 ? 128 : (x >> 2) % 2 === (y >> 2) % 2 ? 255 : 0;
      data.fill(value, (y * width + x) * 3, (y * width + x) * 3 + 3);
    }
  }
  return { data, width, height, channels: 3 };
}

async function decode(base64: string) {
  const { data, info } = await sharp(Buffer.from(base64, "base64")).raw().toBuffer({ resolveWithObject: true });
  return { data, width: info.width, height: info.height, channels: info.channels };
}

/** Standard deviation of the grey level inside a box. */
function spread(image: { data: Uint8Array; width: number; channels: number }, [x0, y0, x1, y1]: number[]): number {
  const values: number[] = [];
  for (let y = y0 ?? 0; y < (y1 ?? 0); y++) {
    for (let x = x0 ?? 0; x < (x1 ?? 0); x++) values.push(image.data[(y * image.width + x) * image.channels] ?? 0);
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  return Math.sqrt(values.reduce((a, b) => a + (b - mean) ** 2, 0) / values.length);
}

type Redacted = { mime: string; width: number; height: number; base64: string; hidden: number };

describe("the plugin's manifest", () => {
  it("passes the checks the engine applies at start", () => {
    expect(pluginProblems(plugin)).toEqual([]);
  });
});

describe("privacy blur", () => {
  const face = { name: "face", prob: 0.9, bound_box: [20, 20, 80, 80] as [number, number, number, number] };
  const text = { name: "text", prob: 0.9, bound_box: [120, 20, 180, 80] as [number, number, number, number] };

  it("blurs the faces found upstream and leaves the rest of the image as it was", async () => {
    const image = checkerboard();
    const output = await runAction(blur, { image, config: { padding: 0 }, fields: { _objects: [face, text] } });
    const redacted = output.write?.redacted as Redacted;
    expect(redacted).toMatchObject({ mime: "image/png", width: 200, height: 100, hidden: 1 });
    const png = await decode(redacted.base64);
    expect(spread(checkerboard(), [30, 30, 70, 70])).toBeGreaterThan(120);
    expect(spread(png, [30, 30, 70, 70])).toBeLessThan(20);
    // Outside the face: pixel for pixel the original.
    expect(spread(png, [0, 84, 100, 100])).toBeCloseTo(spread(checkerboard(), [0, 84, 100, 100]), 5);
  });

  it("pixelates or blacks out every object when asked", async () => {
    const fill = await runAction(blur, {
      image: checkerboard(),
      config: { labels: [], method: "fill", padding: 0 },
      fields: { _objects: [face, text] },
    });
    const png = await decode((fill.write?.redacted as Redacted).base64);
    expect((fill.write?.redacted as Redacted).hidden).toBe(2);
    expect(png.data[(50 * 200 + 50) * 3]).toBe(0);
    expect(png.data[(50 * 200 + 150) * 3]).toBe(0);

    const pixelated = await runAction(blur, {
      image: checkerboard(),
      config: { method: "pixelate", strength: 50, padding: 0 },
      fields: { _objects: [face] },
    });
    const blocks = await decode((pixelated.write?.redacted as Redacted).base64);
    // 30-pixel blocks of the mean grey: one value across a block.
    expect(spread(blocks, [21, 21, 49, 49])).toBe(0);
  });

  it("maps root-image boxes into an object's crop, and downscales to maxSide", async () => {
    const output = await runAction(blur, {
      image: checkerboard(),
      config: { padding: 0, maxSide: 50 },
      object: { name: "person", prob: 1, bound_box: [0, 0, 100, 100] },
      fields: { _objects: [face] },
    });
    const redacted = output.write?.redacted as Redacted;
    expect(redacted).toMatchObject({ width: 50, height: 50, hidden: 1 });
    const png = await decode(redacted.base64);
    expect(spread(png, [15, 15, 35, 35])).toBeLessThan(20);
    expect(spread(png, [0, 42, 50, 50])).toBeGreaterThan(100);
  });

  it("writes a PNG that decoders accept, pixel for pixel", async () => {
    const rgb = Uint8Array.from({ length: 3 * 4 * 3 }, (_, i) => (i * 37) % 256);
    const decoded = await decode(Buffer.from(encodePng(rgb, 4, 3)).toString("base64"));
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([4, 3, 3]);
    expect([...decoded.data]).toEqual([...rgb]);
  });

  it("is a plain action of the privacy plugin with declared credits", () => {
    expect(plugin.name).toBe("privacy");
    expect(blur.service ?? false).toBe(false);
    expect(blur.credits).toBe(1);
  });
});
