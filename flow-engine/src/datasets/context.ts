/**
 * What every layout reader reports into: annotations by image, labels used and declared, problems. Two
 * readers that say different things about one image are a problem; saying the same thing twice is not.
 */
import type { ImageSize } from "./boxes.js";
import { imageResolver, stemOf, type Resolved } from "./paths.js";
import type { DatasetImage, DatasetProblem, TrainingAnnotation } from "./types.js";

/** Where something is said: a file, and a line or a field in it. */
export interface Place {
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
}

export interface ReadContext {
  readonly paths: readonly string[];
  /** The image a manifest's file name means (see `imageResolver`). */
  readonly resolve: (name: string, manifestPath?: string) => Resolved;
  /** The images whose base name without extension is `stem`. */
  readonly withStem: (stem: string) => readonly string[];
  /** The image's size, when the caller knows it (boxes are then checked against it). */
  readonly sizeOf: (path: string) => ImageSize | undefined;
  problem(place: Place, message: string): void;
  /** A label an annotation uses. */
  label(label: string, place: Place): void;
  /** A label a file declares (COCO categories, YOLO classes), used or not. */
  declare(label: string, place: Place): void;
  add(path: string, annotation: TrainingAnnotation, place: Place): void;
}

export interface Collected {
  readonly problems: DatasetProblem[];
  readonly annotations: Map<string, { annotation: TrainingAnnotation; place: Place }>;
  /** Labels in use: where first, and how often. */
  readonly used: Map<string, { place: Place; count: number }>;
  readonly declared: Map<string, Place>;
}

/** Two annotations say the same when they have the same category, tags (in any order), value, or boxes (in any order). */
function sameAnnotation(a: TrainingAnnotation, b: TrainingAnnotation): boolean {
  return canonical(a) === canonical(b);
}

function canonical(a: TrainingAnnotation): string {
  switch (a.kind) {
    case "tags":
      return JSON.stringify({ tags: [...a.tags].sort() });
    case "boxes":
      return JSON.stringify({ boxes: a.boxes.map((b) => JSON.stringify([b.label, ...b.box])).sort() });
    default:
      return JSON.stringify(a);
  }
}

export function placeText(place: Place): string {
  return place.line !== undefined
    ? `${place.file} line ${place.line}`
    : place.field !== undefined
      ? `${place.file} (${place.field})`
      : place.file;
}

export function collect(images: readonly (DatasetImage | { readonly path: string })[]): {
  ctx: ReadContext;
  collected: Collected;
} {
  const paths = images.map((i) => i.path);
  const sizes = new Map<string, ImageSize>();
  for (const image of images) if ("width" in image) sizes.set(image.path, image);
  let stems: Map<string, string[]> | undefined;
  const withStem = (stem: string): readonly string[] => {
    if (stems === undefined) {
      stems = new Map();
      for (const p of paths) stems.set(stemOf(p), [...(stems.get(stemOf(p)) ?? []), p]);
    }
    return stems.get(stem) ?? [];
  };
  const collected: Collected = { problems: [], annotations: new Map(), used: new Map(), declared: new Map() };
  const ctx: ReadContext = {
    paths,
    resolve: imageResolver(paths),
    withStem,
    sizeOf: (path) => sizes.get(path),
    problem: (place, message) => void collected.problems.push({ ...place, message }),
    label: (label, place) => {
      const seen = collected.used.get(label);
      if (seen) seen.count++;
      else collected.used.set(label, { place, count: 1 });
    },
    declare: (label, place) => {
      if (!collected.declared.has(label)) collected.declared.set(label, place);
    },
    add: (path, annotation, place) => {
      const before = collected.annotations.get(path);
      if (before === undefined) collected.annotations.set(path, { annotation, place });
      else if (!sameAnnotation(before.annotation, annotation)) {
        ctx.problem(
          place,
          `${path} is listed twice with different labels (also at ${placeText(before.place)}); keep one`,
        );
      }
    },
  };
  return { ctx, collected };
}
