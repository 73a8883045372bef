/**
 * What the training set needs of an image without decoding its pixels: its size (as the runtime sees it,
 * EXIF orientation applied), checked against the pixel limit; and a small webp preview for the grid.
 */
import sharp from "sharp";
import { ImageError } from "../errors.js";
import { DEFAULT_MAX_PIXELS, readImageHeader, type ImageHeader } from "./decode.js";

const READABLE = new Set(["jpeg", "png", "webp", "gif", "tiff", "avif", "heif", "bmp"]);
const UNSUPPORTED = "the data is not an image in a supported format (JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF)";

/**
 * The header `readImageHeader` reads (width and height after EXIF orientation), checked: throws ImageError
 * when the bytes are not an image in a supported format (422) or have more pixels than `maxPixels` (413),
 * saying how many.
 */
export async function checkImageHeader(bytes: Uint8Array, maxPixels = DEFAULT_MAX_PIXELS): Promise<ImageHeader> {
  if (bytes.length === 0) throw new ImageError("image_empty", 422, "the image is empty (0 bytes)");
  const header = await readImageHeader(bytes);
  if (!header || !READABLE.has(header.format)) throw new ImageError("image_unsupported", 422, UNSUPPORTED);
  const { width, height } = header;
  if (width * height > maxPixels) {
    const mp = (n: number) => `${(n / 1e6).toFixed(n < 1e6 ? 2 : 1)} megapixels`;
    throw new ImageError(
      "image_too_many_pixels",
      413,
      `the image is ${width}x${height} (${mp(width * height)}), more than the limit of ${mp(maxPixels)}`,
    );
  }
  return header;
}

/** A webp preview whose longer side is at most `size` pixels (never enlarged), EXIF orientation applied. */
export async function makeThumbnail(
  bytes: Uint8Array,
  size = 256,
  maxPixels = DEFAULT_MAX_PIXELS,
): Promise<Uint8Array> {
  try {
    const out = await sharp(bytes, { limitInputPixels: maxPixels, autoOrient: true })
      .resize(size, size, { fit: "inside", withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
    return new Uint8Array(out.buffer, out.byteOffset, out.byteLength);
  } catch (error) {
    throw new ImageError(
      "image_corrupt",
      422,
      `the image cannot be made into a thumbnail (${(error as Error).message})`,
    );
  }
}
