/**
 * The layouts of one answer per image: a folder per label (categorization), and CSV or JSON lists of
 * `file,label` (categorization), `file,tags` (tagging, tags split by `;` or `|`), `file,value` (regression).
 */
import { parseNumber } from "./boxes.js";
import type { Place, ReadContext } from "./context.js";
import { csvLine, readCsv } from "./csv.js";
import { NEGATIVE_TAG, type TrainingAnnotation } from "./types.js";

export type ListKind = "category" | "tags" | "value";

const FILE_KEYS = ["file", "filename", "file_name", "image", "path", "name"];
const VALUE_KEYS: Record<ListKind, string[]> = {
  category: ["label", "category", "class"],
  tags: ["tags", "labels", "label"],
  value: ["value", "target", "label"],
};
const HEADER: Record<ListKind, string> = { category: "label", tags: "tags", value: "value" };

/** The separators of tags inside one CSV cell; the export writes the first. */
export const TAG_SEPARATORS = [";", "|"] as const;

/** The annotation a cell or JSON value says, null for none (unlabelled), or a message. */
export function annotationOf(kind: ListKind, value: unknown): TrainingAnnotation | null | string {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) return null;
  switch (kind) {
    case "category":
      return typeof value === "string" ? { kind: "category", label: value.trim() } : "the label must be text";
    case "value": {
      const n = parseNumber(value);
      return n === undefined ? `the value ${JSON.stringify(value)} is not a number` : { kind: "value", value: n };
    }
    case "tags":
      return tagsOf(value);
  }
}

/** Tags from `a;b`, `a|b` or `["a", "b"]`; `[]` says none of them (Negative), an empty cell says nothing. */
export function splitTags(value: string): string[] {
  return value
    .split(/[;|]/)
    .map((t) => t.trim())
    .filter((t) => t !== "");
}

function tagsOf(value: unknown): TrainingAnnotation | string {
  const tags =
    typeof value === "string"
      ? splitTags(value)
      : Array.isArray(value) && value.every((t) => typeof t === "string")
        ? value.map((t) => t.trim()).filter((t) => t !== "")
        : undefined;
  if (tags === undefined) return "the tags must be text (a;b) or a list of names";
  const unique = [...new Set(tags)];
  if (unique.length === 0) return { kind: "tags", tags: [NEGATIVE_TAG] };
  if (unique.includes(NEGATIVE_TAG) && unique.length > 1) {
    return `"${NEGATIVE_TAG}" means none of the tags, so it cannot go with ${unique
      .filter((t) => t !== NEGATIVE_TAG)
      .map((t) => `"${t}"`)
      .join(", ")}`;
  }
  return { kind: "tags", tags: unique };
}

function labelsOf(annotation: TrainingAnnotation): string[] {
  if (annotation.kind === "category") return [annotation.label];
  if (annotation.kind === "tags") return annotation.tags.filter((t) => t !== NEGATIVE_TAG);
  return [];
}

function record(ctx: ReadContext, name: string, manifest: string, value: unknown, kind: ListKind, place: Place) {
  const target = ctx.resolve(name, manifest);
  if ("problem" in target) return ctx.problem(place, target.problem);
  const annotation = annotationOf(kind, value);
  if (typeof annotation === "string") return ctx.problem(place, `${name}: ${annotation}`);
  if (annotation === null) return;
  for (const label of labelsOf(annotation)) ctx.label(label, place);
  ctx.add(target.path, annotation, place);
}

/** The common top folder of every path when one exists and some image sits below a folder inside it. */
function commonTop(paths: readonly string[]): string {
  const first = paths[0]?.split("/") ?? [];
  if (first.length < 2) return "";
  const top = `${first[0] as string}/`;
  return paths.every((p) => p.startsWith(top)) && paths.some((p) => p.split("/").length >= 3) ? top : "";
}

/** A folder per label: the folder an image is in names its label; images at the top come in unlabelled. */
export function readFolders(ctx: ReadContext): void {
  const top = commonTop(ctx.paths);
  for (const path of ctx.paths) {
    const parts = path.slice(top.length).split("/");
    if (parts.length < 2) continue;
    const label = parts.at(-2) as string;
    const place = { file: `${path.slice(0, path.length - (parts.at(-1) as string).length)}` };
    ctx.label(label, place);
    ctx.add(path, { kind: "category", label }, place);
  }
}

export function readCsvList(ctx: ReadContext, kind: ListKind, file: string, text: string): void {
  const rows = readCsv(text);
  let fileColumn = 0;
  let valueColumn = 1;
  let columns = 2;
  const head = rows[0];
  if (
    head &&
    head.cells.some((c) => FILE_KEYS.includes(c.toLowerCase())) &&
    "problem" in ctx.resolve(head.cells[0] ?? "", file)
  ) {
    rows.shift();
    const names = head.cells.map((c) => c.toLowerCase());
    fileColumn = names.findIndex((n) => FILE_KEYS.includes(n));
    const named = names.findIndex((n, i) => i !== fileColumn && VALUE_KEYS[kind].includes(n));
    valueColumn = named >= 0 ? named : names.length === 2 ? 1 - fileColumn : -1;
    columns = names.length;
    if (valueColumn < 0) {
      return ctx.problem(
        { file, line: head.line },
        `the header names no column for the ${HEADER[kind]} (${VALUE_KEYS[kind].join(", ")}); write file,${HEADER[kind]}`,
      );
    }
  }
  for (const row of rows) {
    const place = { file, line: row.line };
    if (row.cells.length > columns) {
      ctx.problem(
        place,
        `the row has ${row.cells.length} cells; write file,${HEADER[kind]}${kind === "tags" ? " with the tags separated by ; (a;b)" : ""} and quote a name that holds a comma`,
      );
      continue;
    }
    record(ctx, row.cells[fileColumn] ?? "", file, row.cells[valueColumn] ?? "", kind, place);
  }
}

/** JSON: `[{"file": "a.jpg", "label": "cat"}, …]` (or tags / value), or `{"a.jpg": "cat", …}`. */
export function readJsonList(ctx: ReadContext, kind: ListKind, file: string, parsed: unknown): void {
  if (Array.isArray(parsed)) {
    parsed.forEach((entry: unknown, i) => {
      const field = `[${i}]`;
      if (typeof entry !== "object" || entry === null || Array.isArray(entry)) {
        return ctx.problem(
          { file, field },
          `each entry must be an object like {"file": "a.jpg", "${HEADER[kind]}": …}`,
        );
      }
      const object = entry as Record<string, unknown>;
      const fileKey = FILE_KEYS.find((k) => typeof object[k] === "string");
      if (fileKey === undefined) return ctx.problem({ file, field: `${field}.file` }, `the entry names no "file"`);
      const valueKey = VALUE_KEYS[kind].find((k) => k in object) ?? HEADER[kind];
      record(ctx, object[fileKey] as string, file, object[valueKey], kind, { file, field: `${field}.${valueKey}` });
    });
  } else if (typeof parsed === "object" && parsed !== null) {
    for (const [name, value] of Object.entries(parsed)) {
      record(ctx, name, file, value, kind, { file, field: JSON.stringify(name) });
    }
  } else {
    ctx.problem({ file }, `must be a list like [{"file": "a.jpg", "${HEADER[kind]}": …}]`);
  }
}

export interface ListSample {
  readonly path: string;
  readonly annotation: TrainingAnnotation | null;
}

function cellOf(annotation: TrainingAnnotation | null): string {
  if (annotation === null) return "";
  if (annotation.kind === "category") return annotation.label;
  if (annotation.kind === "tags")
    return annotation.tags.length === 0 ? NEGATIVE_TAG : annotation.tags.join(TAG_SEPARATORS[0]);
  if (annotation.kind === "value") return String(annotation.value);
  return "";
}

/** `file,label` rows (file names relative to the list), unlabelled images with an empty cell. */
export function writeCsvList(kind: ListKind, samples: readonly ListSample[]): string {
  const lines = [csvLine(["file", HEADER[kind]]), ...samples.map((s) => csvLine([s.path, cellOf(s.annotation)]))];
  return `${lines.join("\n")}\n`;
}

export function writeJsonList(kind: ListKind, samples: readonly ListSample[]): string {
  const entries = samples.map(({ path, annotation }) => {
    if (annotation === null) return { file: path };
    if (annotation.kind === "category") return { file: path, label: annotation.label };
    if (annotation.kind === "tags")
      return { file: path, tags: annotation.tags.length === 0 ? [NEGATIVE_TAG] : annotation.tags };
    if (annotation.kind === "value") return { file: path, value: annotation.value };
    return { file: path };
  });
  return `${JSON.stringify(entries, null, 1)}\n`;
}
