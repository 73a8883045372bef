import { execFileSync } from "node:child_process";

import type { DetectedObject } from "@vizflow/sdk";
import { runAction } from "@vizflow/sdk/testkit";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

import plugin, { readTextAction } from "./index.js";
import { onnxModels } from "./onnx-models.js";

/**
 * A font librsvg can render the test text with (fontconfig must know it); undefined skips the OCR tests.
 * CI gets DejaVu Sans from the Debian package fonts-dejavu-core.
 */
function installedFont(): string | undefined {
  const families = process.env.VIZFLOW_TEST_FONT ? [process.env.VIZFLOW_TEST_FONT] : ["DejaVu Sans", "Liberation Sans"];
  for (const family of families) {
    try {
      if (execFileSync("fc-list", [`:family=${family}`], { encoding: "utf8" }).trim() !== "") return family;
    } catch {
      return undefined;
    }
  }
  return undefined;
}

const FONT = installedFont();
const NO_FONT =
  "no DejaVu Sans or Liberation Sans font installed (fc-list): install fonts-dejavu-core to run the OCR tests";
if (!FONT) console.warn(NO_FONT);

/** Black text on white, rendered by sharp (librsvg); fontconfig finds the installed fonts. */
async function render(lines: readonly string[], options: { size?: number; rotate?: number } = {}): Promise<Buffer> {
  const size = options.size ?? 36;
  const width = 40 + Math.max(...lines.map((l) => l.length)) * size * 0.62;
  const height = 40 + lines.length * size * 1.6;
  const text = lines
    .map(
      (line, i) =>
        `<text x="20" y="${20 + (i + 1) * size * 1.3}" font-family="${FONT ?? ""}" font-size="${size}">${line}</text>`,
    )
    .join("");
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="${Math.round(width)}" height="${Math.round(height)}">
    <rect width="100%" height="100%" fill="white"/>${text}</svg>`;
  let image = sharp(Buffer.from(svg));
  if (options.rotate) image = sharp(await image.png().toBuffer()).rotate(options.rotate);
  return image.png().toBuffer();
}

type Line = DetectedObject & { text: string };

describe("text recognition (PP-OCRv4)", () => {
  it.skipIf(!FONT)(
    "reads text the test rendered itself, exactly, line by line with boxes",
    async () => {
      const image = await render(["Invoice 2026-0417", "Total: 1,234.50 EUR"]);
      const output = await runAction(readTextAction, { image, config: {}, models: onnxModels() });
      const lines = output.objects as readonly Line[];
      expect(lines.map((l) => l.text)).toEqual(["Invoice 2026-0417", "Total: 1,234.50 EUR"]);
      expect(output.write).toEqual({ text: "Invoice 2026-0417\nTotal: 1,234.50 EUR" });
      for (const line of lines) {
        expect(line.name).toBe("text");
        expect(line.prob).toBeGreaterThan(0.9);
      }
      const [first, second] = lines;
      // The first line lies above the second, both start near the left margin.
      expect(first?.bound_box[3]).toBeLessThanOrEqual((second?.bound_box[1] ?? 0) + 4);
      expect(first?.bound_box[0]).toBeLessThan(30);
    },
    60_000,
  );

  it.skipIf(!FONT)(
    "reads upside-down text through the angle classifier",
    async () => {
      const image = await render(["VIZFLOW"], { size: 48, rotate: 180 });
      const output = await runAction(readTextAction, { image, config: {}, models: onnxModels() });
      expect((output.objects as readonly Line[]).map((l) => l.text)).toEqual(["VIZFLOW"]);
      const unturned = await runAction(readTextAction, {
        image,
        config: { classifyAngle: false, minProb: 0 },
        models: onnxModels(),
      });
      expect(unturned.write?.text).not.toBe("VIZFLOW");
    },
    60_000,
  );

  it("finds nothing in a blank image", async () => {
    const image = await sharp({ create: { width: 200, height: 80, channels: 3, background: "#ffffff" } })
      .png()
      .toBuffer();
    const output = await runAction(readTextAction, { image, config: {}, models: onnxModels() });
    expect(output).toEqual({ write: { text: "" }, objects: [] });
  }, 60_000);

  it("is a service with credits and a text field in its output schema", () => {
    expect(plugin.name).toBe("ocr");
    expect(readTextAction.service).toBe(true);
    expect(readTextAction.credits).toBe(2);
  });
});
