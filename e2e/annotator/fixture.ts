/**
 * The images the annotator harness shows: real photos from ../shared where they are (a raccoon set and
 * one large photo), generated pictures where they are not, so the checks run on any machine.
 */
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import type { AnnotatorImage, AnnotatorTaskType, LabelledBox } from "../../app/_components/annotator/types";

export const SHARED = path.resolve(import.meta.dirname, "..", "..", "..", "shared");

export interface Fixture {
  title: string;
  taskType: AnnotatorTaskType;
  labels: string[];
  images: AnnotatorImage[];
}

/** A photo the server may send: its file on disk (or a generated picture) and its size. */
export interface Photo {
  file?: string;
  width: number;
  height: number;
}

/** Width and height from a JPEG's start-of-frame marker. */
export function jpegSize(bytes: Buffer): { width: number; height: number } {
  let at = 2;
  while (at + 9 < bytes.length) {
    if (bytes[at] !== 0xff) throw new Error(`not a JPEG marker at byte ${at}`);
    const marker = bytes[at + 1] as number;
    const length = bytes.readUInt16BE(at + 2);
    if (marker >= 0xc0 && marker <= 0xcf && marker !== 0xc4 && marker !== 0xc8 && marker !== 0xcc) {
      return { height: bytes.readUInt16BE(at + 5), width: bytes.readUInt16BE(at + 7) };
    }
    at += 2 + length;
  }
  throw new Error("no frame header in the JPEG");
}

/** A picture to stand in for a missing photo: stripes and circles, so boxes have something to sit on. */
export function generatedSvg(width: number, height: number, seed: number): string {
  const shapes: string[] = [];
  for (let i = 0; i < 24; i++) {
    const x = ((i * 7919 + seed * 104729) % 1000) / 1000;
    const y = ((i * 6271 + seed * 7877) % 1000) / 1000;
    shapes.push(
      `<circle cx="${(x * width).toFixed(0)}" cy="${(y * height).toFixed(0)}" r="${(Math.min(width, height) * (0.04 + (i % 5) * 0.02)).toFixed(0)}" fill="hsl(${(i * 47 + seed * 30) % 360} 55% 55%)" opacity="0.8"/>`,
    );
  }
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}"><defs><linearGradient id="g" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="#1e3a5f"/><stop offset="1" stop-color="#8aa4b8"/></linearGradient></defs><rect width="100%" height="100%" fill="url(#g)"/>${shapes.join("")}</svg>`;
}

function photo(relative: string, fallback: { width: number; height: number }): Photo {
  const file = path.join(SHARED, relative);
  if (!existsSync(file)) return fallback;
  return { file, ...jpegSize(readFileSync(file)) };
}

/** A grid of `count` boxes over the image, labels in turn: the benchmark's crowded image. */
export function gridBoxes(count: number, width: number, height: number, labels: readonly string[]): LabelledBox[] {
  const columns = Math.ceil(Math.sqrt((count * width) / height));
  const rows = Math.ceil(count / columns);
  const cellW = width / columns;
  const cellH = height / rows;
  return Array.from({ length: count }, (_, i) => {
    const cx = (i % columns) * cellW;
    const cy = Math.floor(i / columns) * cellH;
    return {
      label: labels[i % labels.length] as string,
      box: [cx + cellW * 0.1, cy + cellH * 0.1, cx + cellW * 0.85, cy + cellH * 0.85].map((v) => Math.round(v)) as [
        number,
        number,
        number,
        number,
      ],
    };
  });
}

/** The photos by the name the page asks for them (`/photos/<name>`), and the fixture of each set. */
export function fixtures(boxCount: number): { photos: Map<string, Photo>; sets: Record<string, Fixture> } {
  const photos = new Map<string, Photo>([
    ["large.jpg", photo("models/imgs/onnxjsdemo_happy.jpg", { width: 3264, height: 2448 })],
    ["raccoon-1.jpg", photo("datasets/raccoon/images/raccoon-1.jpg", { width: 650, height: 417 })],
    ["raccoon-2.jpg", photo("datasets/raccoon/images/raccoon-2.jpg", { width: 800, height: 573 })],
    ["raccoon-3.jpg", photo("datasets/raccoon/images/raccoon-3.jpg", { width: 720, height: 480 })],
  ]);
  const image = (name: string, extra: Partial<AnnotatorImage> = {}): AnnotatorImage => {
    const p = photos.get(name) as Photo;
    return {
      id: name.replace(/\.jpg$/, ""),
      fileName: name,
      url: `/photos/${name}`,
      width: p.width,
      height: p.height,
      annotation: null,
      status: "unlabelled",
      ...extra,
    };
  };
  const labels = ["raccoon", "person", "dog", "cat", "car"];
  const large = photos.get("large.jpg") as Photo;
  return {
    photos,
    sets: {
      bench: {
        title: `${boxCount} boxes on a ${large.width}×${large.height} photo`,
        taskType: "detection",
        labels,
        images: [
          image("large.jpg", {
            annotation: { kind: "boxes", boxes: gridBoxes(boxCount, large.width, large.height, labels) },
            status: "labelled",
          }),
          image("raccoon-1.jpg"),
        ],
      },
      flow: {
        title: "Raccoons",
        taskType: "detection",
        labels,
        images: [
          image("raccoon-1.jpg"),
          image("raccoon-2.jpg"),
          image("raccoon-3.jpg", {
            annotation: { kind: "boxes", boxes: [{ label: "raccoon", box: [120, 60, 560, 440] }] },
            proposed: true,
          }),
        ],
      },
      categories: {
        title: "Categories",
        taskType: "categorization",
        labels: ["raccoon", "no raccoon"],
        images: [image("raccoon-1.jpg"), image("raccoon-2.jpg")],
      },
      values: {
        title: "How many raccoons",
        taskType: "regression",
        labels: [],
        images: [image("raccoon-1.jpg"), image("raccoon-2.jpg")],
      },
    },
  };
}
