/** Turns encoded image bytes into pixels for the test kit, with the caller's decoder or sharp when installed. */
import type { RawImage } from "../action.js";

export type ImageDecoder = (bytes: Uint8Array) => Promise<RawImage>;

/** The part of sharp's API the test kit uses. */
type SharpFactory = (input: Uint8Array) => {
  rotate(): ReturnType<SharpFactory>;
  removeAlpha(): ReturnType<SharpFactory>;
  toColourspace(space: string): ReturnType<SharpFactory>;
  raw(): ReturnType<SharpFactory>;
  toBuffer(options: {
    resolveWithObject: true;
  }): Promise<{ data: Uint8Array; info: { width: number; height: number } }>;
};

// A variable specifier keeps bundlers and tsc from requiring sharp: it is an optional peer dependency.
const SHARP = "sharp";

async function loadSharp(): Promise<SharpFactory | undefined> {
  try {
    const module = (await import(/* @vite-ignore */ SHARP)) as { default?: SharpFactory };
    return module.default;
  } catch {
    return undefined;
  }
}

/** Decodes JPEG/PNG/... bytes (EXIF-rotated, to 3-channel sRGB) with `decode`, else with sharp. */
export async function decodeImage(bytes: Uint8Array, decode?: ImageDecoder): Promise<RawImage> {
  if (decode) return decode(bytes);
  const sharp = await loadSharp();
  if (!sharp) {
    throw new Error(
      "runAction got encoded image bytes but cannot decode them: pass `decode`, install sharp, or pass a RawImage",
    );
  }
  const { data, info } = await sharp(bytes)
    .rotate()
    .removeAlpha()
    .toColourspace("srgb")
    .raw()
    .toBuffer({ resolveWithObject: true });
  return {
    data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
    width: info.width,
    height: info.height,
    channels: 3,
  };
}
