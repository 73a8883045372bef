import { runAction } from "@vizflow/sdk/testkit";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

import { colorName } from "./color-names.js";
import { dominant, type DominantColorsResult } from "./index.js";

/** 200x100: red 50 %, navy 30 %, yellow 20 % (vertical bands on whole pixels). */
async function bands(format: "png" | "jpeg" = "png"): Promise<Buffer> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="200" height="100">
    <rect x="0" y="0" width="100" height="100" fill="#dc1414"/>
    <rect x="100" y="0" width="60" height="100" fill="#000070"/>
    <rect x="160" y="0" width="40" height="100" fill="#ffe600"/>
  </svg>`;
  const image = sharp(Buffer.from(svg));
  return format === "png" ? image.png().toBuffer() : image.jpeg({ quality: 85 }).toBuffer();
}

const colorsOf = (output: { write?: Record<string, unknown> }, field = "colors") =>
  output.write?.[field] as DominantColorsResult;

describe("dominant colours", () => {
  it("finds the colours of a synthetic image with their shares within 1 %", async () => {
    const output = await runAction(dominant, { image: await bands(), config: {} });
    const { colors, background } = colorsOf(output);
    expect(colors.map((c) => [c.name, c.hex])).toEqual([
      ["red", "#dc1414"],
      ["navy", "#000070"],
      ["yellow", "#ffe600"],
    ]);
    colors.forEach((color, i) => expect(Math.abs(color.share - ([0.5, 0.3, 0.2][i] ?? 0))).toBeLessThan(0.01));
    expect(background).toBeNull();
  });

  it("keeps JPEG noise inside its colour; only the mixed pixels at band edges are lost", async () => {
    const { colors } = colorsOf(await runAction(dominant, { image: await bands("jpeg"), config: {} }));
    expect(colors.map((c) => c.name)).toEqual(["red", "navy", "yellow"]);
    // Chroma subsampling mixes one column at each of the two edges: 1 % of the pixels.
    colors.forEach((color, i) => expect(Math.abs(color.share - ([0.5, 0.3, 0.2][i] ?? 0))).toBeLessThan(0.015));
  });

  it("leaves out a plain background and reports the rest as shares of the foreground", async () => {
    // A white page (75 %) with a 120x100 green block and an 80x100 blue block.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="400" height="200">
      <rect width="400" height="200" fill="#ffffff"/>
      <rect x="40" y="50" width="120" height="100" fill="#1e9628"/>
      <rect x="250" y="50" width="80" height="100" fill="#143cdc"/>
    </svg>`;
    const image = await sharp(Buffer.from(svg)).png().toBuffer();
    const { colors, background } = colorsOf(
      await runAction(dominant, { image, config: { ignoreBackground: true, output: "palette" } }),
      "palette",
    );
    expect(background).toMatchObject({ name: "white", share: 0.75 });
    expect(colors.map((c) => [c.name, c.share])).toEqual([
      ["green", 0.6],
      ["blue", 0.4],
    ]);
  });

  it("describes one object's crop under an Object Selector", async () => {
    const output = await runAction(dominant, {
      image: await bands(),
      config: { count: 1 },
      object: { name: "band", prob: 1, bound_box: [110, 10, 150, 90] },
    });
    expect(colorsOf(output).colors).toEqual([expect.objectContaining({ name: "navy", share: 1 })]);
  });

  it("names colours by the nearest everyday colour", () => {
    expect(colorName([250, 250, 250])).toBe("white");
    expect(colorName([200, 30, 40])).toBe("red");
    expect(colorName([10, 10, 120])).toBe("navy");
    expect(colorName([240, 130, 10])).toBe("orange");
  });
});
