/**
 * COCO detection JSON: `images` (id, file_name, width, height), `annotations` (image_id, category_id,
 * bbox [x, y, width, height] in pixels), `categories` (id, name). Other fields (iscrowd, area,
 * segmentation, info, licenses) are ignored on reading.
 */
import { checkBox, isFiniteNumber, roundCoordinate } from "./boxes.js";
import type { ReadContext } from "./context.js";
import type { TrainingBox } from "./types.js";

function isId(value: unknown): value is number | string {
  return isFiniteNumber(value) || (typeof value === "string" && value !== "");
}

function list(value: unknown): Record<string, unknown>[] | undefined {
  return Array.isArray(value)
    ? value.map((v) => (typeof v === "object" && v !== null ? v : {}) as Record<string, unknown>)
    : undefined;
}

/** Reads one parsed COCO file into `ctx`; every listed image that resolves gets its boxes (maybe none). */
export function readCoco(ctx: ReadContext, file: string, parsed: unknown): void {
  const coco = (typeof parsed === "object" && parsed !== null ? parsed : {}) as Record<string, unknown>;
  const images = list(coco.images);
  const annotations = list(coco.annotations ?? []);
  const categories = list(coco.categories);
  if (images === undefined || annotations === undefined || categories === undefined) {
    return ctx.problem(
      { file },
      'is not COCO: it needs "images", "annotations" and "categories" lists (COCO detection format)',
    );
  }
  const names = new Map<number | string, string>();
  categories.forEach((c, i) => {
    if (!isId(c.id)) return ctx.problem({ file, field: `categories[${i}].id` }, "the category has no id");
    if (typeof c.name !== "string" || c.name.trim() === "") {
      return ctx.problem({ file, field: `categories[${i}].name` }, `category ${c.id} has no name`);
    }
    if (names.has(c.id))
      return ctx.problem({ file, field: `categories[${i}].id` }, `category id ${c.id} is used twice`);
    names.set(c.id, c.name.trim());
    ctx.declare(c.name.trim(), { file, field: `categories[${i}].name` });
  });
  const byId = new Map<number | string, { path: string | undefined; field: string; boxes: TrainingBox[] }>();
  images.forEach((image, i) => {
    const field = `images[${i}]`;
    if (!isId(image.id)) return ctx.problem({ file, field: `${field}.id` }, "the image has no id");
    if (byId.has(image.id)) return ctx.problem({ file, field: `${field}.id` }, `image id ${image.id} is used twice`);
    if (typeof image.file_name !== "string") {
      byId.set(image.id, { path: undefined, field, boxes: [] });
      return ctx.problem({ file, field: `${field}.file_name` }, "the image has no file_name");
    }
    const target = ctx.resolve(image.file_name, file);
    if ("problem" in target) ctx.problem({ file, field: `${field}.file_name` }, target.problem);
    byId.set(image.id, { path: "path" in target ? target.path : undefined, field, boxes: [] });
  });
  annotations.forEach((a, i) => {
    const field = `annotations[${i}]`;
    const image = isId(a.image_id) ? byId.get(a.image_id) : undefined;
    if (image === undefined) {
      return ctx.problem(
        { file, field: `${field}.image_id` },
        `the annotation points at image ${JSON.stringify(a.image_id)}, which "images" does not list`,
      );
    }
    const name = isId(a.category_id) ? names.get(a.category_id) : undefined;
    if (name === undefined) {
      return ctx.problem(
        { file, field: `${field}.category_id` },
        `unknown category_id ${JSON.stringify(a.category_id)} (categories: ${[...names.keys()].join(", ") || "none"})`,
      );
    }
    const bbox = a.bbox;
    if (!Array.isArray(bbox) || bbox.length !== 4 || !bbox.every(isFiniteNumber)) {
      return ctx.problem({ file, field: `${field}.bbox` }, "the bbox must be [x, y, width, height] (4 numbers)");
    }
    if (image.path === undefined) return; // the missing image is already reported
    const [x, y, w, h] = bbox as [number, number, number, number];
    const box = checkBox(name, [x, y, x + w, y + h], ctx.sizeOf(image.path));
    if (typeof box === "string")
      return ctx.problem({ file, field: `${field}.bbox` }, `${box} (bbox ${JSON.stringify(bbox)})`);
    ctx.label(name, { file, field: `${field}.category_id` });
    image.boxes.push(box);
  });
  for (const image of byId.values()) {
    if (image.path !== undefined)
      ctx.add(image.path, { kind: "boxes", boxes: image.boxes }, { file, field: image.field });
  }
}

export interface CocoSample {
  readonly fileName: string;
  readonly width: number;
  readonly height: number;
  readonly boxes: readonly TrainingBox[];
}

/** A COCO file with category ids 1… in the order of `labels`; width and height kept to 1/1000 px. */
export function writeCoco(labels: readonly string[], samples: readonly CocoSample[]): string {
  const ids = new Map(labels.map((label, i) => [label, i + 1]));
  let annotationId = 0;
  const coco = {
    images: samples.map((s, i) => ({ id: i + 1, file_name: s.fileName, width: s.width, height: s.height })),
    annotations: samples.flatMap((s, i) =>
      s.boxes.map(({ label, box: [x1, y1, x2, y2] }) => {
        const w = roundCoordinate(x2 - x1);
        const h = roundCoordinate(y2 - y1);
        return {
          id: ++annotationId,
          image_id: i + 1,
          category_id: ids.get(label),
          bbox: [x1, y1, w, h],
          area: roundCoordinate(w * h),
          iscrowd: 0,
        };
      }),
    ),
    categories: labels.map((name, i) => ({ id: i + 1, name, supercategory: "" })),
  };
  return `${JSON.stringify(coco)}\n`;
}
