import { describe, expect, it } from "vitest";

import { decodeImage } from "./decode.js";

type Sharp = (options: {
  create: { width: number; height: number; channels: 3; background: { r: number; g: number; b: number } };
}) => { png(): { toBuffer(): Promise<Buffer> } };

async function sharpOrUndefined(): Promise<Sharp | undefined> {
  try {
    const name = "sharp";
    return ((await import(/* @vite-ignore */ name)) as { default: Sharp }).default;
  } catch {
    return undefined;
  }
}

const sharp = await sharpOrUndefined();

describe("decodeImage", () => {
  it.runIf(sharp)("decodes PNG bytes with sharp when it is installed", async () => {
    const png = await sharp!({
      create: { width: 3, height: 2, channels: 3, background: { r: 250, g: 10, b: 20 } },
    })
      .png()
      .toBuffer();
    const image = await decodeImage(new Uint8Array(png));
    expect([image.width, image.height, image.channels]).toEqual([3, 2, 3]);
    expect([...image.data.subarray(0, 3)]).toEqual([250, 10, 20]);
  });

  it.runIf(sharp)("fails with sharp's reason on bytes that are not an image", async () => {
    await expect(decodeImage(new Uint8Array([1, 2, 3]))).rejects.toThrow(/unsupported image format/i);
  });

  it.runIf(!sharp)("says how to decode when sharp is not installed", async () => {
    await expect(decodeImage(new Uint8Array([1, 2, 3]))).rejects.toThrow(/pass `decode`, install sharp/);
  });
});
