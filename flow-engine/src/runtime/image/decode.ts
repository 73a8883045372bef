/**
 * Decodes a record's image once into RGB pixels, with byte and pixel limits (decompression bombs)
 * and EXIF auto-rotation. Everything else (crops, model inputs) works from these pixels.
 */
import sharp, { type Metadata } from "sharp";
import { ImageError } from "../errors.js";

export interface DecodeOptions {
  /** Largest accepted encoded size in bytes (default 20 MiB). */
  maxBytes?: number;
  /** Largest accepted width x height (default 50 megapixels). */
  maxPixels?: number;
  /**
   * Convert through the embedded ICC profile into sRGB (default false). Off matches OpenCV and PIL,
   * which models are usually trained with, and saves about as much time as decoding takes.
   */
  iccConversion?: boolean;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** Decoded pixels of a record: 3 channels (RGB), 8 bits, row-major, interleaved. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
}

function formatMegapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 1e6 ? 2 : 1)} megapixels`;
}

function firstLine(message: string): string {
  return message.split("\n")[0]?.trim() ?? message;
}

/** Maps sharp's error messages (it has no error codes) to what the user did wrong. */
function toImageError(err: unknown): ImageError {
  const message = err instanceof Error ? err.message : String(err);
  if (/unsupported image format/i.test(message)) {
    return new ImageError(
      "image_unsupported",
      422,
      "the data is not an image in a supported format (JPEG, PNG, WebP, GIF, TIFF, AVIF, HEIF, SVG)",
      { cause: err },
    );
  }
  if (/pixel limit/i.test(message)) {
    return new ImageError("image_too_many_pixels", 413, "the image has more pixels than the limit allows", {
      cause: err,
    });
  }
  return new ImageError("image_corrupt", 422, `the image data is corrupt or truncated (${firstLine(message)})`, {
    cause: err,
  });
}

/** Decodes encoded image bytes; throws ImageError (400/413/422) saying what was wrong. */
export async function decodeImage(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedImage> {
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const maxPixels = options.maxPixels ?? DEFAULT_MAX_PIXELS;
  if (bytes.length === 0) throw new ImageError("image_empty", 422, "the image is empty (0 bytes)");
  if (bytes.length > maxBytes) {
    throw new ImageError(
      "image_too_large",
      413,
      `the image is ${bytes.length} bytes, more than the limit of ${maxBytes} bytes`,
    );
  }
  try {
    const { data, info } = await sharp(bytes, {
      limitInputPixels: maxPixels,
      // Truncated or undecodable data is refused; recoverable warnings (a damaged segment) are decoded
      // with artefacts, as OpenCV and PIL do, rather than failing a user's slightly broken photo.
      failOn: "error",
      autoOrient: true,
      ignoreIcc: !(options.iccConversion ?? false),
    })
      .removeAlpha()
      .toColourspace("srgb")
      .raw({ depth: "uchar" })
      .toBuffer({ resolveWithObject: true });
    if (info.channels !== 3) throw new Error(`decoded to ${info.channels} channels instead of 3`);
    return {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: 3,
    };
  } catch (err) {
    const error = toImageError(err);
    throw error.code === "image_too_many_pixels" ? await tooManyPixels(bytes, maxPixels, error) : error;
  }
}

/**
 * libvips checks `limitInputPixels` against the header before it decodes a pixel, so a bomb costs a header
 * read; only then is the header read again, for a message that gives the image's size.
 */
async function tooManyPixels(bytes: Uint8Array, maxPixels: number, fallback: ImageError): Promise<ImageError> {
  let header: Metadata;
  try {
    header = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    return fallback;
  }
  const pixels = (header.width ?? 0) * (header.height ?? 0);
  return new ImageError(
    "image_too_many_pixels",
    413,
    `the image is ${header.width}x${header.height} (${formatMegapixels(pixels)}), more than the limit of ${formatMegapixels(maxPixels)}`,
    { cause: fallback },
  );
}
