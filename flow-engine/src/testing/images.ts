/** Synthetic images for tests: exact pixels in, encoded bytes out. */
import sharp from "sharp";
import type { DecodedImage } from "../runtime/image/decode.js";

export type Rgb = readonly [number, number, number];

/** RGB pixels where `colour(x, y)` gives each pixel. */
export function paint(width: number, height: number, colour: (x: number, y: number) => Rgb): DecodedImage {
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data.set(colour(x, y), (y * width + x) * 3);
  }
  return { data, width, height, channels: 3 };
}

export function solid(width: number, height: number, rgb: Rgb): DecodedImage {
  return paint(width, height, () => rgb);
}

/** Lossless PNG bytes of RGB pixels. */
export async function toPng(image: DecodedImage): Promise<Uint8Array> {
  const png = await sharp(image.data, { raw: { width: image.width, height: image.height, channels: 3 } })
    .png()
    .toBuffer();
  return new Uint8Array(png);
}

/** Pixel (x, y) of decoded RGB pixels. */
export function pixelAt(image: { data: Uint8Array; width: number }, x: number, y: number): Rgb {
  const i = (y * image.width + x) * 3;
  return [image.data[i] ?? -1, image.data[i + 1] ?? -1, image.data[i + 2] ?? -1];
}

/** A PNG of an SVG document (librsvg; text uses the fonts fontconfig knows). */
export async function svgToPng(svg: string): Promise<Uint8Array> {
  return new Uint8Array(await sharp(Buffer.from(svg)).png().toBuffer());
}
