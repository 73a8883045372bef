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
import { readCoco } from "../datasets/coco.js";
import { collect, type Place } from "../datasets/context.js";
import { readCsv } from "../datasets/csv.js";
import { splitTags } from "../datasets/lists.js";
import { parseNumber } from "../datasets/boxes.js";
import { imageResolver } from "../datasets/paths.js";
import type { TrueObject } from "./metrics.js";

export { isIgnoredPath, isImagePath, isManifestPath } from "../datasets/paths.js";

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

/** The image a manifest line refers to (by full path, path relative to the manifest, or base name). */
function resolver(paths: readonly string[]): (name: string, manifestPath: string) => string | undefined {
  const resolve = imageResolver(paths);
  return (name, manifestPath) => {
    const found = resolve(name, manifestPath);
    return "path" in found ? found.path : undefined;
  };
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
    entries = readCsv(text)
      .map(({ cells }): [string, unknown] => [cells[0] ?? "", cells.slice(1).join(",")])
      .filter(([file], i) => !(i === 0 && /^(file|filename|image|path)$/i.test(file)));
  }
  const resolve = resolver(paths);
  const problems: string[] = [];
  const samples: TestSetSample[] = [];
  const listed = new Set<string>();
  for (const [file, value] of entries) {
    const path = resolve(file, manifestPath);
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
      ? splitTags(value)
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
  return parseNumber(value) ?? `the value of "${file}" is not a number`;
}

/** COCO through the training-set reader (without image sizes: boxes are not checked against them). */
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
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    return { ok: false, problems: [`${jsonPath} is not valid JSON: ${(error as Error).message}`] };
  }
  const { ctx, collected } = collect(paths.map((path) => ({ path })));
  readCoco(ctx, jsonPath, parsed);
  const where = (place: Place) => `${place.file}${place.field === undefined ? "" : ` (${place.field})`}`;
  const problems = collected.problems.map((p) => `${where(p)}: ${p.message}`);
  for (const [name, place] of collected.declared) {
    if (!labels.includes(name))
      problems.push(`${where(place)}: category "${name}" is not a label of the task (labels: ${labels.join(", ")})`);
  }
  const samples = [...collected.annotations].map(([path, { annotation }]) => ({
    path,
    truth:
      annotation.kind === "boxes"
        ? annotation.boxes.map((b) => ({ name: b.label, box: [...b.box] as BoundingBox }))
        : [],
  }));
  return problems.length > 0 ? { ok: false, problems } : { ok: true, samples };
}
