/**
 * The images of a batch test: read from chosen files, a folder or zips (in the browser; nothing is
 * uploaded but the images themselves, and the server never stores them), and split into calls.
 */
import { unzipSync } from "fflate";
import { MAX_BATCH_IMAGES } from "../../_server/test-batch";

export { MAX_BATCH_IMAGES };

/** The largest image a test run accepts (the server refuses larger ones). */
export const MAX_IMAGE_BYTES = 20 * 1024 * 1024;

const IMAGE_NAME = /\.(jpe?g|png|webp|gif|avif|tiff?|bmp)$/i;

export interface BatchImage {
  /** The file's name, or `<zip>/<path inside it>`. */
  name: string;
  bytes: Uint8Array;
}

export interface CollectedImages {
  images: BatchImage[];
  /** Files that were left out, each with the reason. */
  skipped: string[];
}

/** The part of a file the browser gives us: a name, a type, and its bytes. */
export interface ChosenFile {
  readonly name: string;
  readonly type: string;
  /** Where a folder pick puts the path inside the folder. */
  readonly webkitRelativePath?: string;
  arrayBuffer(): Promise<ArrayBuffer>;
}

function isHidden(path: string): boolean {
  return path.split("/").some((part) => part.startsWith(".") || part === "__MACOSX");
}

function isZip(file: ChosenFile): boolean {
  return /\.zip$/i.test(file.name) || file.type === "application/zip" || file.type === "application/x-zip-compressed";
}

/** Images in chosen files: images as they are, image entries of zips; in name order. */
export async function collectImages(files: readonly ChosenFile[]): Promise<CollectedImages> {
  const images: BatchImage[] = [];
  const skipped: string[] = [];
  const take = (name: string, bytes: Uint8Array) => {
    if (bytes.length > MAX_IMAGE_BYTES) skipped.push(`${name}: larger than 20 MB`);
    else images.push({ name, bytes });
  };
  for (const file of files) {
    const name = file.webkitRelativePath || file.name;
    if (isHidden(name)) continue;
    if (isZip(file)) {
      let entries: Record<string, Uint8Array>;
      try {
        entries = unzipSync(new Uint8Array(await file.arrayBuffer()), {
          filter: (entry) => IMAGE_NAME.test(entry.name) && !isHidden(entry.name) && entry.originalSize > 0,
        });
      } catch (error) {
        skipped.push(`${name}: not a readable zip (${error instanceof Error ? error.message : String(error)})`);
        continue;
      }
      const inside = Object.keys(entries);
      if (inside.length === 0) skipped.push(`${name}: no images inside`);
      for (const path of inside) take(`${name}/${path}`, entries[path] ?? new Uint8Array());
    } else if (file.type.startsWith("image/") || IMAGE_NAME.test(file.name)) {
      take(name, new Uint8Array(await file.arrayBuffer()));
    } else {
      skipped.push(`${name}: not an image or a zip`);
    }
  }
  images.sort((a, b) => a.name.localeCompare(b.name, undefined, { numeric: true }));
  return { images, skipped };
}

/** Why these images cannot be tested as one batch, or undefined when they can. */
export function batchProblem(count: number): string | undefined {
  if (count === 0) return "Choose images, a folder or a zip with images in it.";
  if (count > MAX_BATCH_IMAGES) {
    return `That is ${count} images; a batch test runs at most ${MAX_BATCH_IMAGES}. Choose fewer, or split them into several batches.`;
  }
  return undefined;
}

/** Splits images into calls of at most `maxImages` images and `maxBytes` bytes (a larger image goes alone). */
export function chunksOf<T extends { bytes: Uint8Array }>(images: readonly T[], maxImages = 5, maxBytes = 8_000_000) {
  const chunks: T[][] = [];
  let current: T[] = [];
  let bytes = 0;
  for (const image of images) {
    if (current.length > 0 && (current.length >= maxImages || bytes + image.bytes.length > maxBytes)) {
      chunks.push(current);
      current = [];
      bytes = 0;
    }
    current.push(image);
    bytes += image.bytes.length;
  }
  if (current.length > 0) chunks.push(current);
  return chunks;
}

/** Base64 of bytes, in slices (String.fromCharCode takes a bounded number of arguments). */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/** A short reading of one written field for the results table. */
export function fieldSummary(value: unknown): string {
  if (Array.isArray(value)) {
    const names = value
      .map((v) => (typeof v === "object" && v !== null && "name" in v ? String((v as { name: unknown }).name) : ""))
      .filter((n) => n !== "");
    return names.length === value.length && names.length > 0
      ? `${value.length}: ${names.slice(0, 3).join(", ")}${names.length > 3 ? ", …" : ""}`
      : `${value.length} item${value.length === 1 ? "" : "s"}`;
  }
  if (typeof value === "object" && value !== null) {
    const best = (value as { best_label?: { name?: unknown; prob?: unknown } }).best_label;
    if (best && typeof best.name === "string") {
      return typeof best.prob === "number" ? `${best.name} (${(best.prob * 100).toFixed(0)}%)` : best.name;
    }
    const text = JSON.stringify(value);
    return text.length > 60 ? `${text.slice(0, 57)}…` : text;
  }
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : value.toFixed(3);
  return String(value);
}
