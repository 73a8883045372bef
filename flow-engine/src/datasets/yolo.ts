/**
 * YOLO txt: one `.txt` per image (`labels/x.txt` for `images/x.jpg`, or beside it) with a line
 * `class cx cy w h` per box, the centre and size as fractions (0..1) of the image; class names from
 * `classes.txt` / `obj.names` (one per line, line 1 is class 0) or `data.yaml` (`names: [a, b]` or
 * `names: {0: a, 1: b}`).
 */
import { parse as parseYaml } from "yaml";
import { checkBox, parseNumber, roundCoordinate } from "./boxes.js";
import type { ReadContext } from "./context.js";
import { baseName, dirName, extensionOf, stemOf } from "./paths.js";
import type { TrainingBox } from "./types.js";

/** Text files of a YOLO upload that are neither class lists nor label files (split lists, notes). */
const NOT_LABELS = /^(train|val|valid|validation|test|readme|license|licence|notes?)$/i;

export function isYoloClassFile(path: string): boolean {
  const base = baseName(path).toLowerCase();
  const ext = extensionOf(path);
  return base === "classes.txt" || ext === ".names" || ext === ".yaml" || ext === ".yml";
}

/** A `.txt` that could hold the boxes of an image (not a class list, split list or note). */
export function isYoloLabelFile(path: string): boolean {
  return extensionOf(path) === ".txt" && !isYoloClassFile(path) && !NOT_LABELS.test(stemOf(path));
}

/** The class names of one class file, or a message. */
function classesOf(path: string, text: string): string[] | string {
  const ext = extensionOf(path);
  if (ext === ".yaml" || ext === ".yml") {
    let data: unknown;
    try {
      data = parseYaml(text);
    } catch (error) {
      return `is not valid YAML: ${(error as Error).message}`;
    }
    const names = typeof data === "object" && data !== null ? (data as Record<string, unknown>).names : undefined;
    if (Array.isArray(names) && names.every((n) => typeof n === "string" || typeof n === "number")) {
      return names.map((n) => String(n).trim());
    }
    if (typeof names === "object" && names !== null) {
      const entries = Object.entries(names as Record<string, unknown>);
      const list: string[] = [];
      for (const [key, value] of entries) {
        const id = Number(key);
        if (!Number.isInteger(id) || id < 0 || id >= entries.length || typeof value !== "string") {
          return `names must map the class ids 0 to ${entries.length - 1} to names (found ${JSON.stringify(key)})`;
        }
        list[id] = value.trim();
      }
      return list;
    }
    return "has no names: write names: [a, b] (class 0 first)";
  }
  return text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
}

/** The classes the upload's class files name (they must agree), reported into `ctx`; undefined when none. */
function readClasses(
  ctx: ReadContext,
  files: readonly [string, string][],
): { file: string; names: string[] } | undefined {
  let chosen: { file: string; names: string[] } | undefined;
  for (const [file, text] of files) {
    const names = classesOf(file, text);
    if (typeof names === "string") {
      ctx.problem({ file }, names);
      continue;
    }
    if (chosen === undefined) chosen = { file, names };
    else if (chosen.names.join("\n") !== names.join("\n")) {
      ctx.problem(
        { file },
        `names other classes than ${chosen.file} (${names.join(", ")} against ${chosen.names.join(", ")}); keep one list`,
      );
    }
  }
  if (!chosen) return undefined;
  const text = files.find(([f]) => f === chosen?.file)?.[1] ?? "";
  const yaml = /\.ya?ml$/i.test(chosen.file);
  chosen.names.forEach((name, i) =>
    ctx.declare(
      name,
      yaml ? { file: chosen.file, field: `names[${i}]` } : { file: chosen.file, line: lineOfClass(text, i) },
    ),
  );
  return chosen;
}

function lineOfClass(text: string, index: number): number {
  let seen = -1;
  const lines = text.split(/\r?\n/);
  for (let i = 0; i < lines.length; i++) {
    if ((lines[i] ?? "").trim() !== "" && ++seen === index) return i + 1;
  }
  return index + 1;
}

/** The image of a label file: `labels/` ↔ `images/` in the path, beside it, or the only one with its stem. */
function imageOf(ctx: ReadContext, file: string): string | undefined {
  const stem = stemOf(file);
  const same = ctx.withStem(stem);
  if (same.length <= 1) return same[0];
  const mirrored = dirName(file).replace(/(^|\/)labels\//g, "$1images/");
  const preferred = same.filter((p) => dirName(p) === mirrored);
  if (preferred.length === 1) return preferred[0];
  const beside = same.filter((p) => dirName(p) === dirName(file));
  return beside.length === 1 ? beside[0] : undefined;
}

export function readYolo(ctx: ReadContext, manifests: readonly [string, string][]): void {
  const classFiles = manifests.filter(([p]) => isYoloClassFile(p));
  const labelFiles = manifests.filter(([p]) => isYoloLabelFile(p));
  const classes = readClasses(ctx, classFiles);
  if (classes === undefined) {
    if (classFiles.length === 0) {
      ctx.problem(
        { file: "" },
        "add classes.txt (one class name per line, line 1 is class 0) or data.yaml (names: [a, b]) to name the YOLO classes",
      );
    }
    return;
  }
  const count = classes.names.length;
  for (const [file, text] of labelFiles) {
    const path = imageOf(ctx, file);
    if (path === undefined) {
      ctx.problem({ file }, `no image named ${stemOf(file)}.* (jpg, png, …) is in the upload for this YOLO label file`);
      continue;
    }
    const size = ctx.sizeOf(path);
    const boxes: TrainingBox[] = [];
    text.split(/\r?\n/).forEach((raw, i) => {
      const place = { file, line: i + 1 };
      const words = raw
        .trim()
        .split(/\s+/)
        .filter((w) => w !== "");
      if (words.length === 0) return;
      if (words.length !== 5) {
        return ctx.problem(place, `a YOLO line has 5 numbers (class cx cy w h); this one has ${words.length}`);
      }
      const numbers = words.map(parseNumber);
      const bad = numbers.findIndex((n) => n === undefined);
      if (bad >= 0) return ctx.problem(place, `"${words[bad] ?? ""}" is not a number (a YOLO line is class cx cy w h)`);
      const [id, cx, cy, w, h] = numbers as [number, number, number, number, number];
      const name = Number.isInteger(id) && id >= 0 ? classes.names[id] : undefined;
      if (name === undefined) {
        return ctx.problem(
          place,
          `unknown class id ${words[0] ?? ""} (${classes.file} names ${count} classes, ids 0 to ${count - 1})`,
        );
      }
      if (size === undefined) return ctx.problem(place, `the size of ${path} is unknown, so the box cannot be read`);
      const corners = [
        (cx - w / 2) * size.width,
        (cy - h / 2) * size.height,
        (cx + w / 2) * size.width,
        (cy + h / 2) * size.height,
      ];
      const box = checkBox(name, corners as [number, number, number, number], size);
      if (typeof box === "string") return ctx.problem(place, box);
      ctx.label(name, place);
      boxes.push(box);
    });
    ctx.add(path, { kind: "boxes", boxes }, { file });
  }
}

/** How a written line reads back: the same arithmetic as `readYolo`. */
function readBack(fractions: readonly number[], width: number, height: number): number[] {
  const [cx, cy, w, h] = fractions as [number, number, number, number];
  return [(cx - w / 2) * width, (cy - h / 2) * height, (cx + w / 2) * width, (cy + h / 2) * height].map(
    roundCoordinate,
  );
}

/**
 * One YOLO line per box: the fewest decimals (6 at least) whose fractions read back to exactly the same
 * pixels (boxes are kept to 1/1000 px), so an export re-imports unchanged.
 */
export function writeYolo(
  classIds: ReadonlyMap<string, number>,
  width: number,
  height: number,
  boxes: readonly TrainingBox[],
): string {
  const lines = boxes.map(({ label, box }) => {
    const [x1, y1, x2, y2] = box;
    const exact = [(x1 + x2) / 2 / width, (y1 + y2) / 2 / height, (x2 - x1) / width, (y2 - y1) / height];
    let words = exact.map(String);
    for (let digits = 6; digits <= 16; digits++) {
      const fixed = exact.map((v) => Number(v.toFixed(digits)));
      if (readBack(fixed, width, height).every((v, i) => v === box[i])) {
        words = fixed.map(String);
        break;
      }
    }
    return `${classIds.get(label) ?? 0} ${words.join(" ")}`;
  });
  return lines.length === 0 ? "" : `${lines.join("\n")}\n`;
}
