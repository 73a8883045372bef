/**
 * Reads an uploaded training set (image paths and sizes, and the text of its small files) into an
 * annotation per image, in any of the layouts of `datasetFormatsFor`. See docs/datasets.md.
 */
import { closestNames } from "@vizflow/sdk";
import { readCoco } from "./coco.js";
import { collect, type Collected, type ReadContext } from "./context.js";
import { parseJsonFile } from "./json.js";
import { readCsvList, readFolders, readJsonList, type ListKind } from "./lists.js";
import { extensionOf, isIgnoredPath } from "./paths.js";
import {
  datasetFormatsFor,
  NEGATIVE_TAG,
  type DatasetFormat,
  type DatasetProblem,
  type ReadDatasetInput,
  type ReadDatasetResult,
} from "./types.js";
import { readVoc } from "./voc.js";
import { isYoloClassFile, isYoloLabelFile, readYolo } from "./yolo.js";

/** At most this many problems are listed; one more line says how many others there are. */
export const MAX_DATASET_PROBLEMS = 50;

const LIST_KIND = { categorization: "category", tagging: "tags", regression: "value" } as const;

type Manifests = [string, string][];

function byExtension(manifests: Manifests, ...extensions: string[]): Manifests {
  return manifests.filter(([p]) => extensions.includes(extensionOf(p)));
}

/** The layout the files are in, or a problem that says why none (or more than one) fits. */
function detectFormat(input: ReadDatasetInput, manifests: Manifests): DatasetFormat | DatasetProblem {
  const csv = byExtension(manifests, ".csv");
  const json = byExtension(manifests, ".json");
  if (input.taskType === "detection") {
    const yolo = manifests.filter(([p]) => isYoloClassFile(p) || isYoloLabelFile(p));
    const found: [DatasetFormat, Manifests, string][] = [
      ["coco", json, "COCO .json"],
      ["voc", byExtension(manifests, ".xml"), "Pascal VOC .xml"],
      ["yolo", yolo, "YOLO .txt"],
    ];
    const present = found.filter(([, files]) => files.length > 0);
    if (present.length > 1) {
      return {
        file: "",
        message: `the upload holds ${present.map(([, files, what]) => `${what} (${files[0]?.[0] ?? ""}${files.length > 1 ? ", …" : ""})`).join(" and ")} files; keep one layout or choose the format`,
      };
    }
    return present[0]?.[0] ?? "coco";
  }
  if (csv.length > 0 && json.length > 0) {
    return {
      file: "",
      message: `the upload holds a CSV list (${csv[0]?.[0] ?? ""}) and a JSON list (${json[0]?.[0] ?? ""}); keep one or choose the format`,
    };
  }
  if (csv.length > 0) return "csv";
  if (json.length > 0) return "json";
  return datasetFormatsFor(input.taskType)[0] as DatasetFormat;
}

function readFormat(ctx: ReadContext, input: ReadDatasetInput, format: DatasetFormat, manifests: Manifests): void {
  const kind: ListKind | undefined = input.taskType === "detection" ? undefined : LIST_KIND[input.taskType];
  switch (format) {
    case "folders":
      return readFolders(ctx);
    case "csv":
      for (const [file, text] of byExtension(manifests, ".csv")) readCsvList(ctx, kind ?? "category", file, text);
      return;
    case "json":
      for (const [file, text] of byExtension(manifests, ".json")) {
        const parsed = parseJsonFile(ctx, file, text);
        if (parsed !== undefined) readJsonList(ctx, kind ?? "category", file, parsed);
      }
      return;
    case "coco":
      for (const [file, text] of byExtension(manifests, ".json")) {
        const parsed = parseJsonFile(ctx, file, text);
        if (parsed !== undefined) readCoco(ctx, file, parsed);
      }
      return;
    case "voc":
      for (const [file, text] of byExtension(manifests, ".xml")) readVoc(ctx, file, text);
      return;
    case "yolo":
      return readYolo(ctx, manifests);
  }
}

/** Labels the data uses that the task lacks: refused (with the closest labels) when the task has labels. */
function checkLabels(
  ctx: ReadContext,
  collected: Collected,
  input: ReadDatasetInput,
): { labels: string[]; newLabels: string[] } {
  if (input.taskType === "regression") return { labels: [...input.labels], newLabels: [] };
  const known = new Set(input.labels);
  const found = [...new Set([...collected.declared.keys(), ...collected.used.keys()])].filter(
    (l) => l !== NEGATIVE_TAG || input.taskType !== "tagging",
  );
  if (input.labels.length === 0) return { labels: found, newLabels: found };
  const candidates = input.taskType === "tagging" ? [...input.labels, NEGATIVE_TAG] : input.labels;
  for (const [label, { place, count }] of collected.used) {
    if (known.has(label) || (input.taskType === "tagging" && label === NEGATIVE_TAG)) continue;
    const closest = closestNames(label, candidates, 3).map((n) => `"${n}"`);
    const where = input.format === "folders" || place.file.endsWith("/") ? "folder" : "label";
    ctx.problem(
      collected.declared.get(label) ?? place,
      `${where} "${label}" (${count} ${count === 1 ? "time" : "times"}) is not a label of the task; the closest are ${closest.join(", ")}`,
    );
  }
  return { labels: [...input.labels], newLabels: [] };
}

/** The first `MAX_DATASET_PROBLEMS` problems, and a last one that counts the rest. */
export function capProblems(problems: readonly DatasetProblem[]): DatasetProblem[] {
  if (problems.length <= MAX_DATASET_PROBLEMS) return [...problems];
  return [
    ...problems.slice(0, MAX_DATASET_PROBLEMS),
    { file: "", message: `and ${problems.length - MAX_DATASET_PROBLEMS} more problems` },
  ];
}

/**
 * The annotation of every uploaded image (null where the upload says nothing about it), or every problem
 * (capped, see `capProblems`). Problems name the file and the line or field.
 *
 * @example readDatasetLayout({ taskType: "categorization", labels: [], images: [{ path: "cat/1.jpg", width: 64, height: 64 }], manifests: new Map() })
 * // { ok: true, format: "folders", samples: [{ path: "cat/1.jpg", annotation: { kind: "category", label: "cat" } }], labels: ["cat"], newLabels: ["cat"] }
 */
export function readDatasetLayout(input: ReadDatasetInput): ReadDatasetResult {
  if (input.images.length === 0) {
    return { ok: false, problems: [{ file: "", message: "the upload holds no images (.jpg, .png, .webp, …)" }] };
  }
  const manifests: Manifests = [...input.manifests].filter(([p]) => !isIgnoredPath(p));
  const formats = datasetFormatsFor(input.taskType);
  if (input.format !== undefined && !formats.includes(input.format)) {
    return {
      ok: false,
      problems: [
        { file: "", message: `${input.taskType} tasks cannot be read from ${input.format}; use ${formats.join(", ")}` },
      ],
    };
  }
  const format = input.format ?? detectFormat(input, manifests);
  if (typeof format !== "string") return { ok: false, problems: [format] };
  const { ctx, collected } = collect(input.images);
  const seen = new Set<string>();
  for (const { path } of input.images) {
    if (seen.has(path)) ctx.problem({ file: path }, "the upload holds this path twice");
    seen.add(path);
  }
  readFormat(ctx, input, format, manifests);
  const { labels, newLabels } = checkLabels(ctx, collected, { ...input, format });
  if (collected.problems.length > 0) return { ok: false, problems: capProblems(collected.problems) };
  return {
    ok: true,
    format,
    samples: input.images.map(({ path }) => ({
      path,
      annotation: collected.annotations.get(path)?.annotation ?? null,
    })),
    labels: [...labels, ...newLabels.filter((l) => !labels.includes(l))],
    newLabels,
  };
}
