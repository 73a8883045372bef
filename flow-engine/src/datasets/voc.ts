/**
 * Pascal VOC XML: one `.xml` per image, `<annotation><filename>` naming the image, `<size>`, and an
 * `<object><name><bndbox><xmin>…` per box in pixels (kept as written: no 1-based shift). The image is the one
 * `<filename>` names, else the image with the XML's base name next to it or elsewhere in the upload.
 */
import { XMLParser, XMLValidator } from "fast-xml-parser";
import { checkBox, parseNumber } from "./boxes.js";
import type { ReadContext } from "./context.js";
import { dirName, stemOf } from "./paths.js";
import type { TrainingBox } from "./types.js";

const parser = new XMLParser({
  ignoreAttributes: true,
  parseTagValue: false,
  processEntities: true,
  isArray: (name) => name === "object",
});

type Node = Record<string, unknown>;

function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value.trim();
  if (typeof value === "number") return String(value);
  return undefined;
}

/** The image with the XML's stem: beside the XML first, else the only one in the upload. */
function imageByStem(ctx: ReadContext, file: string): string | undefined {
  const stem = stemOf(file);
  const same = ctx.withStem(stem);
  if (same.length === 1) return same[0];
  const beside = same.filter((p) => dirName(p) === dirName(file));
  return beside.length === 1 ? beside[0] : undefined;
}

export function readVoc(ctx: ReadContext, file: string, text: string): void {
  const valid = XMLValidator.validate(text);
  if (valid !== true) return ctx.problem({ file, line: valid.err.line }, `is not valid XML: ${valid.err.msg}`);
  const root = (parser.parse(text) as Node).annotation;
  if (typeof root !== "object" || root === null) {
    return ctx.problem({ file }, "is not a Pascal VOC annotation (it has no <annotation> element)");
  }
  const annotation = root as Node;
  const filename = textOf(annotation.filename);
  const named = filename === undefined || filename === "" ? undefined : ctx.resolve(filename, file);
  const path = named !== undefined && "path" in named ? named.path : imageByStem(ctx, file);
  if (path === undefined) {
    return ctx.problem(
      { file, field: "filename" },
      `${filename ? `no image "${filename}" (named by <filename>) is in the upload, nor` : "<filename> is missing and there is no"} image named ${stemOf(file)}.* next to the XML`,
    );
  }
  const size = ctx.sizeOf(path);
  const objects = (Array.isArray(annotation.object) ? annotation.object : []) as unknown[];
  const boxes: TrainingBox[] = [];
  objects.forEach((raw, i) => {
    const object = (typeof raw === "object" && raw !== null ? raw : {}) as Node;
    const field = `object[${i}]`;
    const name = textOf(object.name);
    if (name === undefined || name === "")
      return ctx.problem({ file, field: `${field}.name` }, "the object has no <name>");
    const bndbox = (typeof object.bndbox === "object" && object.bndbox !== null ? object.bndbox : undefined) as
      Node | undefined;
    if (bndbox === undefined) {
      return ctx.problem({ file, field: `${field}.bndbox` }, `the object "${name}" has no <bndbox>`);
    }
    const corners: number[] = [];
    for (const key of ["xmin", "ymin", "xmax", "ymax"]) {
      const value = parseNumber(textOf(bndbox[key]));
      if (value === undefined) {
        return ctx.problem(
          { file, field: `${field}.bndbox.${key}` },
          `<${key}> of "${name}" is not a number (${JSON.stringify(textOf(bndbox[key]) ?? "missing")})`,
        );
      }
      corners.push(value);
    }
    const box = checkBox(name, corners as [number, number, number, number], size);
    if (typeof box === "string") return ctx.problem({ file, field: `${field}.bndbox` }, box);
    ctx.label(name, { file, field: `${field}.name` });
    boxes.push(box);
  });
  ctx.add(path, { kind: "boxes", boxes }, { file });
}

function escape(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
}

/** One VOC XML for an image whose file sits in `folder`. */
export function writeVoc(
  folder: string,
  fileName: string,
  width: number,
  height: number,
  boxes: readonly TrainingBox[],
): string {
  const objects = boxes.map(
    ({ label, box: [x1, y1, x2, y2] }) => `	<object>
		<name>${escape(label)}</name>
		<pose>Unspecified</pose>
		<truncated>0</truncated>
		<difficult>0</difficult>
		<bndbox>
			<xmin>${x1}</xmin>
			<ymin>${y1}</ymin>
			<xmax>${x2}</xmax>
			<ymax>${y2}</ymax>
		</bndbox>
	</object>
`,
  );
  return `<annotation>
	<folder>${escape(folder)}</folder>
	<filename>${escape(fileName)}</filename>
	<size>
		<width>${width}</width>
		<height>${height}</height>
		<depth>3</depth>
	</size>
	<segmented>0</segmented>
${objects.join("")}</annotation>
`;
}
