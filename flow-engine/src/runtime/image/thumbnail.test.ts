import sharp from "sharp";
import { describe, expect, test } from "vitest";
import { solid, toPng } from "../../testing/images.js";
import { makeThumbnail, checkImageHeader } from "./thumbnail.js";

describe("checkImageHeader", () => {
  test("gives the size as the runtime sees it: EXIF orientation 6 swaps width and height", async () => {
    const jpeg = await sharp(Buffer.from(solid(40, 10, [1, 2, 3]).data), {
      raw: { width: 40, height: 10, channels: 3 },
    })
      .jpeg()
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect(await checkImageHeader(new Uint8Array(jpeg))).toEqual({ width: 10, height: 40, format: "jpeg" });
  });

  test("refuses text, empty bytes and images over the pixel limit, saying which", async () => {
    await expect(checkImageHeader(new TextEncoder().encode("hello"))).rejects.toThrow(
      /not an image in a supported format/,
    );
    await expect(checkImageHeader(new Uint8Array(0))).rejects.toThrow("the image is empty (0 bytes)");
    await expect(checkImageHeader(await toPng(solid(1200, 1000, [0, 0, 0])), 1_000_000)).rejects.toThrow(
      "the image is 1200x1000 (1.2 megapixels), more than the limit of 1.0 megapixels",
    );
  });
});

describe("makeThumbnail", () => {
  test("shrinks the longer side to the size, keeps the aspect ratio, never enlarges", async () => {
    const wide = await makeThumbnail(await toPng(solid(600, 300, [9, 9, 9])), 256);
    expect(await checkImageHeader(wide)).toEqual({ width: 256, height: 128, format: "webp" });
    const small = await makeThumbnail(await toPng(solid(20, 10, [9, 9, 9])), 256);
    expect(await checkImageHeader(small)).toEqual({ width: 20, height: 10, format: "webp" });
  });
});
