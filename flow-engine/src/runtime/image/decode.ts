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
  /**
   * Shrink-on-load: JPEG and WebP decode at 1/2, 1/4 or 1/8 of their size (in the codec, so the full
   * pixels are never allocated) as long as the short side stays at least this many pixels. Other formats,
   * and images already small enough, decode at their own size.
   */
  minSide?: number;
}

export const DEFAULT_MAX_BYTES = 20 * 1024 * 1024;
export const DEFAULT_MAX_PIXELS = 50_000_000;

/** Decoded pixels of a record: 3 channels (RGB), 8 bits, row-major, interleaved. */
export interface DecodedImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: 3;
  /** Set when the image was decoded smaller (shrink-on-load): its own size, oriented. */
  source?: { width: number; height: number };
}

/** What an image's header says, before any pixel is decoded: its oriented size and format. */
export interface ImageHeader {
  width: number;
  height: number;
  format: string;
}

/** Formats whose decoder can shrink on load (libvips' jpegload `shrink`, webpload `scale`). */
const SHRINK_ON_LOAD = new Set(["jpeg", "webp"]);

/**
 * Reads the header only (no pixels); undefined when it cannot be read (the decode then says what is wrong).
 * Width and height are after EXIF orientation.
 */
export async function readImageHeader(bytes: Uint8Array): Promise<ImageHeader | undefined> {
  if (bytes.length === 0) return undefined;
  try {
    const meta = await sharp(bytes, { limitInputPixels: false }).metadata();
    if (!meta.width || !meta.height) return undefined;
    const swap = (meta.orientation ?? 1) >= 5;
    return {
      width: swap ? meta.height : meta.width,
      height: swap ? meta.width : meta.height,
      format: meta.format,
    };
  } catch {
    return undefined;
  }
}

/** The power-of-two factor an image shrinks by on load for `minSide` (1: decoded at its own size). */
export function shrinkFactor(header: ImageHeader, minSide: number | undefined): number {
  if (minSide === undefined || !SHRINK_ON_LOAD.has(header.format)) return 1;
  let factor = 1;
  for (const next of [2, 4, 8]) {
    if (Math.min(Math.ceil(header.width / next), Math.ceil(header.height / next)) < minSide) break;
    factor = next;
  }
  return factor;
}

/** The size an image decodes to with `minSide` (its own size without shrink-on-load). */
export function decodedSize(header: ImageHeader, minSide: number | undefined): { width: number; height: number } {
  const factor = shrinkFactor(header, minSide);
  return { width: Math.ceil(header.width / factor), height: Math.ceil(header.height / factor) };
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
  // Only a header worth shrinking is read ahead; everything else goes straight to the one decode.
  const header = options.minSide === undefined ? undefined : await readImageHeader(bytes);
  const factor = header === undefined ? 1 : shrinkFactor(header, options.minSide);
  try {
    let pipeline = sharp(bytes, {
      limitInputPixels: maxPixels,
      // Truncated or undecodable data is refused; recoverable warnings (a damaged segment) are decoded
      // with artefacts, as OpenCV and PIL do, rather than failing a user's slightly broken photo.
      failOn: "error",
      autoOrient: true,
      ignoreIcc: !(options.iccConversion ?? false),
    });
    if (header !== undefined && factor > 1) {
      // An exact 1/factor of the oriented size: libvips takes it from the codec's shrink-on-load.
      pipeline = pipeline.resize(Math.ceil(header.width / factor), Math.ceil(header.height / factor), {
        fit: "fill",
      });
    }
    const { data, info } = await pipeline
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
      ...(header !== undefined && factor > 1 ? { source: { width: header.width, height: header.height } } : {}),
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
