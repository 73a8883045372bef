import { crc32, deflateSync } from "node:zlib";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { ImageError } from "../errors.js";
import { paint, pixelAt, toPng } from "../../testing/images.js";
import { decodedSize, decodeImage, readImageHeader } from "./decode.js";
import { DecodedScopeImage } from "./scope-image.js";

/** A PNG whose header claims width x height; the pixel data is a stub (never decoded). */
function pngHeaderOnly(width: number, height: number): Uint8Array {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8); // 8-bit RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk("IHDR", ihdr),
    chunk("IDAT", deflateSync(Buffer.alloc(1000))),
    chunk("IEND", Buffer.alloc(0)),
  ]);
}

async function expectImageError(promise: Promise<unknown>, code: string, status: number, text: RegExp) {
  const err: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ImageError);
  expect(err).toMatchObject({ code, status });
  expect((err as Error).message).toMatch(text);
}

describe("decodeImage", () => {
  it("decodes a PNG into exact RGB pixels", async () => {
    const source = paint(5, 3, (x, y) => [x * 50, y * 100, 7]);
    const decoded = await decodeImage(await toPng(source));
    expect(decoded).toMatchObject({ width: 5, height: 3, channels: 3 });
    expect(Array.from(decoded.data)).toEqual(Array.from(source.data));
  });

  it("turns grey, alpha and 16-bit images into 8-bit RGB", async () => {
    const grey = await sharp(Buffer.from([10, 200, 30, 40]), { raw: { width: 2, height: 2, channels: 1 } })
      .png()
      .toBuffer();
    const g = await decodeImage(grey);
    expect(g.channels).toBe(3);
    expect(pixelAt(g, 1, 0)).toEqual([200, 200, 200]);

    const rgba = await sharp(Buffer.from([255, 0, 0, 128, 0, 255, 0, 255]), {
      raw: { width: 2, height: 1, channels: 4 },
    })
      .png()
      .toBuffer();
    const a = await decodeImage(rgba);
    expect(pixelAt(a, 0, 0)).toEqual([255, 0, 0]);
    expect(pixelAt(a, 1, 0)).toEqual([0, 255, 0]);

    const deep = await sharp(Buffer.from([255, 128, 0]), { raw: { width: 1, height: 1, channels: 3 } })
      .toColourspace("rgb16")
      .png()
      .toBuffer();
    const d = await decodeImage(deep);
    expect(pixelAt(d, 0, 0)).toEqual([255, 128, 0]);
  });

  it("rotates by the EXIF orientation", async () => {
    // 4x2, left half red; orientation 6 means "rotate 90 degrees clockwise to display".
    const source = paint(4, 2, (x) => (x < 2 ? [255, 0, 0] : [0, 0, 255]));
    const jpeg = await sharp(source.data, { raw: { width: 4, height: 2, channels: 3 } })
      .jpeg({ quality: 100 })
      .withMetadata({ orientation: 6 })
      .toBuffer();
    expect((await sharp(jpeg).metadata()).orientation).toBe(6);
    const decoded = await decodeImage(jpeg);
    expect([decoded.width, decoded.height]).toEqual([2, 4]);
    const [r, , b] = pixelAt(decoded, 0, 0);
    expect(r).toBeGreaterThan(200); // the red half is now on top
    expect(b).toBeLessThan(60);
  });

  it("ignores the ICC profile unless asked to convert through it", async () => {
    const source = paint(2, 2, () => [200, 60, 60]);
    const p3 = await sharp(source.data, { raw: { width: 2, height: 2, channels: 3 } })
      .withIccProfile("p3")
      .png()
      .toBuffer();
    const raw = await decodeImage(p3);
    const converted = await decodeImage(p3, { iccConversion: true });
    expect(pixelAt(raw, 0, 0)).toEqual(pixelAt(await decodeImage(p3, { iccConversion: false }), 0, 0));
    expect(pixelAt(converted, 0, 0)).not.toEqual(pixelAt(raw, 0, 0));
  });

  it("refuses an empty file with 422", async () => {
    await expectImageError(decodeImage(new Uint8Array()), "image_empty", 422, /empty \(0 bytes\)/);
  });

  it("refuses data that is not an image with 422", async () => {
    const text = new TextEncoder().encode("this is a text file, not a picture");
    await expectImageError(decodeImage(text), "image_unsupported", 422, /not an image in a supported format/);
  });

  it("refuses corrupt and truncated image data with 422", async () => {
    const jpeg = await sharp({ create: { width: 64, height: 64, channels: 3, background: "#3080c0" } })
      .jpeg()
      .toBuffer();
    await expectImageError(
      decodeImage(jpeg.subarray(0, jpeg.length / 2)),
      "image_corrupt",
      422,
      /corrupt or truncated/,
    );
    const garbled = Buffer.from(jpeg);
    for (let i = 20; i < garbled.length - 2; i++) garbled[i] = (i * 7919) & 0xff;
    await expectImageError(decodeImage(garbled), "image_corrupt", 422, /corrupt or truncated/);
  });

  it("refuses a 20000x20000 image over the pixel limit with 413 before decoding it", async () => {
    await expectImageError(
      decodeImage(pngHeaderOnly(20000, 20000)),
      "image_too_many_pixels",
      413,
      /20000x20000 \(400\.0 megapixels\), more than the limit of 50\.0 megapixels/,
    );
  });

  it("decodes an image of exactly maxPixels and names the size of one over it", async () => {
    const png = await toPng(paint(4, 4, (x, y) => [x, y, 0]));
    expect((await decodeImage(png, { maxPixels: 16 })).width).toBe(4);
    await expectImageError(
      decodeImage(png, { maxPixels: 15 }),
      "image_too_many_pixels",
      413,
      /is 4x4 \(0\.00 megapixels\), more than the limit of 0\.00 megapixels/,
    );
  });

  it("refuses more bytes than the limit with 413", async () => {
    const png = await toPng(paint(16, 16, (x, y) => [x, y, x ^ y]));
    await expectImageError(
      decodeImage(png, { maxBytes: 10 }),
      "image_too_large",
      413,
      /more than the limit of 10 bytes/,
    );
  });
});

describe("shrink-on-load", () => {
  /** A JPEG, left half red and right half blue, optionally with an EXIF orientation. */
  const halves = (width: number, height: number, orientation?: number) =>
    sharp(paint(width, height, (x) => (x < width / 2 ? [255, 0, 0] : [0, 0, 255])).data, {
      raw: { width, height, channels: 3 },
    })
      .jpeg({ quality: 95 })
      .withMetadata(orientation === undefined ? {} : { orientation })
      .toBuffer();

  it("decodes a JPEG at the largest power-of-two shrink that keeps the short side at least minSide", async () => {
    const jpeg = await halves(1000, 800);
    const image = await decodeImage(jpeg, { minSide: 150 });
    // 1/4 gives 250x200 (>= 150); 1/8 would give 125x100.
    expect([image.width, image.height]).toEqual([250, 200]);
    expect(image.source).toEqual({ width: 1000, height: 800 });
    expect(pixelAt(image, 10, 100)[0]).toBeGreaterThan(200);
    expect(pixelAt(image, 240, 100)[2]).toBeGreaterThan(200);
    expect(decodedSize({ width: 1000, height: 800, format: "jpeg" }, 150)).toEqual({ width: 250, height: 200 });
  });

  it("shrinks in the oriented frame of an EXIF-rotated JPEG", async () => {
    const jpeg = await halves(1000, 800, 6);
    expect(await readImageHeader(jpeg)).toEqual({ width: 800, height: 1000, format: "jpeg" });
    const image = await decodeImage(jpeg, { minSide: 150 });
    expect([image.width, image.height]).toEqual([200, 250]);
    expect(image.source).toEqual({ width: 800, height: 1000 });
  });

  it("decodes at full size where the format cannot shrink or the image is small enough", async () => {
    const png = await toPng(paint(1000, 800, () => [0, 255, 0]));
    expect([
      (await decodeImage(png, { minSide: 100 })).width,
      (await decodeImage(png, { minSide: 100 })).source,
    ]).toEqual([1000, undefined]);
    const jpeg = await halves(300, 200);
    expect((await decodeImage(jpeg, { minSide: 150 })).width).toBe(300);
  });

  it("keeps a shrunk image's scope, crops and model boxes in the image's own pixels", async () => {
    const scope = DecodedScopeImage.fromDecoded(await decodeImage(await halves(1000, 800), { minSide: 150 }));
    expect([scope.width, scope.height, scope.rootWidth]).toEqual([1000, 800, 1000]);
    const { tensor, transform } = await scope.toTensor({
      width: 10,
      height: 8,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
    });
    expect(tensor.dims).toEqual([1, 3, 8, 10]);
    expect(transform([0, 0, 10, 8])).toEqual([0, 0, 1000, 800]);
    expect(transform([5, 4, 10, 8])).toEqual([500, 400, 1000, 800]);
    const crop = scope.crop([500, 0, 1000, 800]);
    expect(crop.box).toEqual([500, 0, 1000, 800]);
    // The crop's decoded pixels are the right (blue) half at 1/4.
    const pixels = await crop.pixels();
    expect([pixels.width, pixels.height]).toEqual([125, 200]);
    expect(pixelAt(pixels, 60, 100)[2]).toBeGreaterThan(200);
    const inCrop = await crop.toTensor({ width: 4, height: 4, resize: "stretch", colorOrder: "RGB", layout: "NCHW" });
    expect(inCrop.transform([0, 0, 4, 4])).toEqual([500, 0, 1000, 800]);
  });
});
