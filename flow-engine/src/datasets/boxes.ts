/** Boxes as every layout reads them: rounded to 1/1000 px, inside the image (1 px of slack clamped), not empty. */
import type { TrainingBox } from "./types.js";

/** How far a box may stick out of its image and still be clamped into it (rounding in other tools). */
export const BOX_TOLERANCE_PX = 1;

/**
 * Box coordinates are kept to 1/1000 px: the layouts that store other numbers (COCO's width and height,
 * YOLO's fractions of the image) then read back exactly what was written.
 */
export function roundCoordinate(value: number): number {
  return Math.round(value * 1000) / 1000 + 0;
}

export function isFiniteNumber(value: unknown): value is number {
  return typeof value === "number" && Number.isFinite(value);
}

/** `12.5`, `" 3 "` → numbers; anything else → undefined. */
export function parseNumber(value: unknown): number | undefined {
  if (isFiniteNumber(value)) return value;
  if (typeof value !== "string" || value.trim() === "") return undefined;
  const n = Number(value.trim());
  return Number.isFinite(n) ? n : undefined;
}

export interface ImageSize {
  readonly width: number;
  readonly height: number;
}

function show(box: readonly number[]): string {
  return `[${box.map((v) => String(roundCoordinate(v))).join(", ")}]`;
}

/**
 * The box `[xmin, ymin, xmax, ymax]` checked against its image: a message when it is empty or lies outside
 * (by more than the tolerance), else the box rounded and clamped. Without a size only emptiness is checked.
 */
export function checkBox(
  label: string,
  raw: readonly [number, number, number, number],
  size: ImageSize | undefined,
): TrainingBox | string {
  const [x1, y1, x2, y2] = raw.map(roundCoordinate) as [number, number, number, number];
  if (x1 >= x2 || y1 >= y2) {
    return `the box ${show(raw)} of "${label}" is empty: xmin must be below xmax and ymin below ymax`;
  }
  if (size === undefined) return { label, box: [x1, y1, x2, y2] };
  const { width, height } = size;
  const t = BOX_TOLERANCE_PX;
  if (x1 < -t || y1 < -t || x2 > width + t || y2 > height + t) {
    return `the box ${show(raw)} of "${label}" lies outside the ${width}×${height} image (by more than ${t} px)`;
  }
  const box = [Math.max(0, x1), Math.max(0, y1), Math.min(width, x2), Math.min(height, y2)] as const;
  if (box[0] >= box[2] || box[1] >= box[3]) {
    return `the box ${show(raw)} of "${label}" is empty once kept inside the ${width}×${height} image`;
  }
  return { label, box };
}
