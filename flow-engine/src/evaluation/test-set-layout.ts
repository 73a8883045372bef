/**
 * Reads the layout of an uploaded test set (the paths and small manifest files of a zip) into the truth of
 * each image, by task type:
 * - categorization: one folder per label (`cat/1.jpg`), optionally all under one top folder;
 * - tagging: images plus `labels.csv` (`file,label1;label2`) or `labels.json` (`{"file": ["a", "b"]}`);
 * - regression: images plus `values.csv` (`file,value`) or `values.json` (`{"file": 1.5}`);
 * - detection: images plus a COCO JSON file (`images`, `annotations` with `bbox` [x, y, w, h], `categories`).
 * Every problem names the file and what is wrong, and all are reported at once.
 */
import type { BoundingBox, TaskType } from "@vizflow/sdk";
import type { TrueObject } from "./metrics.js";

/** What an image truly shows, by task type. */
export type Truth = string | readonly string[] | number | readonly TrueObject[];

export interface TestSetSample {
  /** The image's path inside the upload. */
  readonly path: string;
  readonly truth: Truth;
}

export type TestSetLayout =
  | { readonly ok: true; readonly samples: readonly TestSetSample[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const IMAGE = /\.(jpe?g|png|webp|gif|avif|tiff?|bmp)$/i;

/** Paths of macOS metadata and hidden files that zips carry along; never test images. */
export function isIgnoredPath(path: string): boolean {
  return path.split("/").some((part) => part.startsWith(".") || part === "__MACOSX") || path.endsWith("/");
}

export function isImagePath(path: string): boolean {
  return IMAGE.test(path) && !isIgnoredPath(path);
}

/** A manifest is a small text file that can describe the set (read into memory, unlike images). */
export function isManifestPath(path: string): boolean {
  return /\.(csv|json)$/i.test(path) && !isIgnoredPath(path);
}

/** The truth of every image, or every problem with the layout. `manifests` maps path to text. */
export function readTestSetLayout(
  taskType: TaskType,
  labels: readonly string[],
  imagePaths: readonly string[],
  manifests: ReadonlyMap<string, string>,
): TestSetLayout {
  if (imagePaths.length === 0) return { ok: false, problems: ["the upload holds no images (.jpg, .png, .webp, …)"] };
  switch (taskType) {
    case "categorization":
      return byFolder(labels, imagePaths);
    case "tagging":
      return byManifest(imagePaths, manifests, "labels", (value, file) => tagsOf(value, file, labels));
    case "regression":
      return byManifest(imagePaths, manifests, "values", (value, file) => numberOf(value, file));
    case "detection":
      return byCoco(labels, imagePaths, manifests);
  }
}

function commonTop(paths: readonly string[]): string {
  const first = paths[0]?.split("/") ?? [];
  if (first.length < 3) return "";
  const top = `${first[0] ?? ""}/`;
  return paths.every((p) => p.startsWith(top) && p.split("/").length >= 3) ? top : "";
}

function byFolder(labels: readonly string[], paths: readonly string[]): TestSetLayout {
  const top = commonTop(paths);
  const known = new Set(labels);
  const problems: string[] = [];
  const unknown = new Set<string>();
  const samples: TestSetSample[] = [];
  for (const path of paths) {
    const parts = path.slice(top.length).split("/");
    if (parts.length !== 2) {
      problems.push(`${path}: put each image in a folder named after its label (label/image.jpg)`);
      continue;
    }
    const label = parts[0] as string;
    if (!known.has(label)) unknown.add(label);
    else samples.push({ path, truth: label });
  }
  for (const label of unknown) {
    problems.push(`folder "${label}" is not a label of the task (labels: ${labels.join(", ")})`);
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, samples };
}

/** The file name a manifest line refers to, matched against image paths by full path or by base name. */
function resolver(paths: readonly string[]): (name: string) => string | undefined {
  const full = new Set(paths);
  const byBase = new Map<string, string | null>();
  for (const p of paths) {
    const base = p.split("/").at(-1) as string;
    byBase.set(base, byBase.has(base) ? null : p);
  }
  return (name) => (full.has(name) ? name : (byBase.get(name.split("/").at(-1) as string) ?? undefined));
}

function findManifest(manifests: ReadonlyMap<string, string>, stem: string): [string, string] | undefined {
  for (const [path, text] of manifests) {
    const base = (path.split("/").at(-1) as string).toLowerCase();
    if (base === `${stem}.csv` || base === `${stem}.json`) return [path, text];
  }
  return undefined;
}

function byManifest(
  paths: readonly string[],
  manifests: ReadonlyMap<string, string>,
  stem: string,
  parse: (value: unknown, file: string) => Truth | string,
): TestSetLayout {
  const manifest = findManifest(manifests, stem);
  if (!manifest) {
    return {
      ok: false,
      problems: [`add ${stem}.csv (file,${stem === "labels" ? "label1;label2" : "value"}) or ${stem}.json to the zip`],
    };
  }
  const [manifestPath, text] = manifest;
  let entries: [string, unknown][];
  if (manifestPath.toLowerCase().endsWith(".json")) {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (error) {
      return { ok: false, problems: [`${manifestPath} is not valid JSON: ${(error as Error).message}`] };
    }
    if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
      return { ok: false, problems: [`${manifestPath} must be an object mapping each image file to its ${stem}`] };
    }
    entries = Object.entries(parsed);
  } else {
    entries = text
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter((line) => line !== "")
      .map((line): [string, unknown] => {
        const comma = line.indexOf(",");
        return comma < 0 ? [line, ""] : [line.slice(0, comma).trim(), line.slice(comma + 1).trim()];
      })
      .filter(([file], i) => !(i === 0 && /^(file|filename|image|path)$/i.test(file)));
  }
  const resolve = resolver(paths);
  const problems: string[] = [];
  const samples: TestSetSample[] = [];
  const listed = new Set<string>();
  for (const [file, value] of entries) {
    const path = resolve(file);
    if (path === undefined) {
      problems.push(`${manifestPath}: "${file}" is not an image in the zip`);
      continue;
    }
    listed.add(path);
    const truth = parse(value, file);
    // The parsers give a message (a string) in place of a truth that cannot be read.
    if (typeof truth === "string") {
      problems.push(`${manifestPath}: ${truth}`);
      continue;
    }
    samples.push({ path, truth });
  }
  const missing = paths.filter((p) => !listed.has(p));
  if (missing.length > 0)
    problems.push(`${manifestPath} does not list ${missing.length} image(s): ${missing.slice(0, 5).join(", ")}`);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, samples };
}

/** Tags of a manifest entry, or a problem (a string with a message). */
function tagsOf(value: unknown, file: string, labels: readonly string[]): readonly string[] | string {
  const tags =
    typeof value === "string"
      ? value
          .split(/[;|]/)
          .map((t) => t.trim())
          .filter((t) => t !== "")
      : Array.isArray(value) && value.every((t) => typeof t === "string")
        ? value.map((t) => t.trim())
        : undefined;
  if (tags === undefined) return `the labels of "${file}" must be a list of label names`;
  const unknown = tags.filter((t) => !labels.includes(t));
  if (unknown.length > 0)
    return `"${file}" has label(s) ${unknown.map((t) => `"${t}"`).join(", ")} that the task does not have`;
  return [...new Set(tags)];
}

function numberOf(value: unknown, file: string): number | string {
  const n = typeof value === "number" ? value : typeof value === "string" && value !== "" ? Number(value) : Number.NaN;
  return Number.isFinite(n) ? n : `the value of "${file}" is not a number`;
}

interface CocoFile {
  images?: { id?: unknown; file_name?: unknown }[];
  annotations?: { image_id?: unknown; category_id?: unknown; bbox?: unknown }[];
  categories?: { id?: unknown; name?: unknown }[];
}

function byCoco(
  labels: readonly string[],
  paths: readonly string[],
  manifests: ReadonlyMap<string, string>,
): TestSetLayout {
  const jsons = [...manifests].filter(([path]) => path.toLowerCase().endsWith(".json"));
  if (jsons.length !== 1) {
    return {
      ok: false,
      problems: [
        jsons.length === 0
          ? "add the COCO annotations (one .json file with images, annotations and categories) to the zip"
          : `the zip has ${jsons.length} .json files (${jsons.map(([p]) => p).join(", ")}); keep only the COCO annotations`,
      ],
    };
  }
  const [jsonPath, text] = jsons[0] as [string, string];
  let coco: CocoFile;
  try {
    coco = JSON.parse(text) as CocoFile;
  } catch (error) {
    return { ok: false, problems: [`${jsonPath} is not valid JSON: ${(error as Error).message}`] };
  }
  if (!Array.isArray(coco.images) || !Array.isArray(coco.annotations) || !Array.isArray(coco.categories)) {
    return {
      ok: false,
      problems: [`${jsonPath} must have "images", "annotations" and "categories" arrays (COCO format)`],
    };
  }
  const problems: string[] = [];
  const categories = new Map<unknown, string>();
  for (const c of coco.categories) {
    if (typeof c.name !== "string") continue;
    if (!labels.includes(c.name))
      problems.push(`${jsonPath}: category "${c.name}" is not a label of the task (labels: ${labels.join(", ")})`);
    categories.set(c.id, c.name);
  }
  const resolve = resolver(paths);
  const objects = new Map<unknown, TrueObject[]>();
  const imagePath = new Map<unknown, string>();
  for (const image of coco.images) {
    const path = typeof image.file_name === "string" ? resolve(image.file_name) : undefined;
    if (path === undefined) {
      problems.push(`${jsonPath}: image "${String(image.file_name)}" is not in the zip`);
      continue;
    }
    imagePath.set(image.id, path);
    objects.set(image.id, []);
  }
  coco.annotations.forEach((a, i) => {
    const name = categories.get(a.category_id);
    const bbox = a.bbox;
    if (name === undefined)
      return void problems.push(`${jsonPath}: annotation ${i} has an unknown category_id ${String(a.category_id)}`);
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every((v) => typeof v === "number" && Number.isFinite(v))) {
      return void problems.push(`${jsonPath}: annotation ${i} needs "bbox": [x, y, width, height]`);
    }
    const list = objects.get(a.image_id);
    if (!list)
      return void problems.push(
        `${jsonPath}: annotation ${i} refers to image_id ${String(a.image_id)}, which "images" does not list`,
      );
    const [x, y, w, h] = bbox as [number, number, number, number];
    list.push({ name, box: [x, y, x + w, y + h] as BoundingBox });
  });
  const samples = [...imagePath].map(([id, path]) => ({ path, truth: objects.get(id) ?? [] }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, samples };
}
