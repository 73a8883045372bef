import type { Box } from "./types";

/** A point in image pixels (or, for `StagePoint`, in CSS pixels from the stage's top-left corner). */
export interface Point {
  x: number;
  y: number;
}
export type StagePoint = Point;

/** How the image sits on the stage: a stage point is `image point × scale + (x, y)`. */
export interface View {
  scale: number;
  x: number;
  y: number;
}

export interface Size {
  width: number;
  height: number;
}

/** The eight grips of a selected box: corners and edge midpoints, named by compass direction. */
export type Handle = "nw" | "n" | "ne" | "e" | "se" | "s" | "sw" | "w";
export const HANDLES: readonly Handle[] = ["nw", "n", "ne", "e", "se", "s", "sw", "w"];

export const MIN_SCALE = 0.02;
export const MAX_SCALE = 32;

const clamp = (value: number, low: number, high: number) => Math.min(high, Math.max(low, value));

/** Boxes are kept to a tenth of a pixel: finer is noise from the mouse, and saved values stay short. */
export function roundBox(box: Box): Box {
  return box.map((v) => Math.round(v * 10) / 10) as Box;
}

/** The point moved inside the image (its edges included). */
export function clampPoint(point: Point, image: Size): Point {
  return { x: clamp(point.x, 0, image.width), y: clamp(point.y, 0, image.height) };
}

/** The box with its corners in order (xmin ≤ xmax, ymin ≤ ymax) and cut to the image. */
export function clampBox(box: Box, image: Size): Box {
  const [a, b, c, d] = box;
  return [
    clamp(Math.min(a, c), 0, image.width),
    clamp(Math.min(b, d), 0, image.height),
    clamp(Math.max(a, c), 0, image.width),
    clamp(Math.max(b, d), 0, image.height),
  ];
}

export function boxWidth(box: Box): number {
  return box[2] - box[0];
}
export function boxHeight(box: Box): number {
  return box[3] - box[1];
}

/** The box spanned by the drag from `start` to `point`, inside the image. */
export function drawnBox(start: Point, point: Point, image: Size): Box {
  const a = clampPoint(start, image);
  const b = clampPoint(point, image);
  return [Math.min(a.x, b.x), Math.min(a.y, b.y), Math.max(a.x, b.x), Math.max(a.y, b.y)];
}

/** The box shifted by (dx, dy), keeping its size; it stops at the image's edges instead of leaving. */
export function movedBox(box: Box, dx: number, dy: number, image: Size): Box {
  const w = Math.min(boxWidth(box), image.width);
  const h = Math.min(boxHeight(box), image.height);
  const x = clamp(box[0] + dx, 0, image.width - w);
  const y = clamp(box[1] + dy, 0, image.height - h);
  return [x, y, x + w, y + h];
}

/**
 * The box with the edges that `handle` holds moved by (dx, dy), inside the image. Dragging an edge past
 * the opposite one turns the box over rather than making it negative; it never gets thinner than
 * `minSize` pixels.
 */
export function resizedBox(box: Box, handle: Handle, dx: number, dy: number, image: Size, minSize = 1): Box {
  let [x0, y0, x1, y1] = box;
  if (handle.includes("w")) x0 = clamp(x0 + dx, 0, image.width);
  if (handle.includes("e")) x1 = clamp(x1 + dx, 0, image.width);
  if (handle.includes("n")) y0 = clamp(y0 + dy, 0, image.height);
  if (handle.includes("s")) y1 = clamp(y1 + dy, 0, image.height);
  const [a, b, c, d] = clampBox([x0, y0, x1, y1], image);
  const fixedX = handle.includes("w") ? box[2] : handle.includes("e") ? box[0] : undefined;
  const fixedY = handle.includes("n") ? box[3] : handle.includes("s") ? box[1] : undefined;
  const west = handle.includes("w");
  const north = handle.includes("n");
  const [left, right] = keepSize(a, c, fixedX, west ? x0 : x1, west, minSize, image.width);
  const [top, bottom] = keepSize(b, d, fixedY, north ? y0 : y1, north, minSize, image.height);
  return [left, top, right, bottom];
}

/**
 * An edge pair at least `min` apart, grown away from the edge that stayed put, inside [0, limit]. An edge
 * that reached the fixed one exactly stays on the side it came from (`fromBelow`).
 */
function keepSize(
  low: number,
  high: number,
  fixed: number | undefined,
  moving: number,
  fromBelow: boolean,
  min: number,
  limit: number,
): [number, number] {
  const size = Math.min(min, limit);
  if (high - low >= size || fixed === undefined) return [low, high];
  let [a, b] = moving < fixed || (moving === fixed && fromBelow) ? [fixed - size, fixed] : [fixed, fixed + size];
  if (a < 0) [a, b] = [0, size];
  if (b > limit) [a, b] = [limit - size, limit];
  return [a, b];
}

/** Where each grip of the box is, in image pixels. */
export function handlePoint(box: Box, handle: Handle): Point {
  const [x0, y0, x1, y1] = box;
  const x = handle.includes("w") ? x0 : handle.includes("e") ? x1 : (x0 + x1) / 2;
  const y = handle.includes("n") ? y0 : handle.includes("s") ? y1 : (y0 + y1) / 2;
  return { x, y };
}

/** The CSS cursor that shows which way a grip pulls. */
export function handleCursor(handle: Handle): string {
  return handle === "n" || handle === "s"
    ? "ns-resize"
    : handle === "e" || handle === "w"
      ? "ew-resize"
      : handle === "nw" || handle === "se"
        ? "nwse-resize"
        : "nesw-resize";
}

/** The whole image in the stage, centred, with `margin` CSS pixels around it; never magnified past 1:1 × 4. */
export function fitView(image: Size, stage: Size, margin = 16): View {
  const room = { width: Math.max(1, stage.width - 2 * margin), height: Math.max(1, stage.height - 2 * margin) };
  const scale = clamp(Math.min(room.width / image.width, room.height / image.height), MIN_SCALE, 4);
  return {
    scale,
    x: (stage.width - image.width * scale) / 2,
    y: (stage.height - image.height * scale) / 2,
  };
}

/** The view zoomed by `factor` keeping the image point under `at` (a stage point) where it is. */
export function zoomedView(view: View, factor: number, at: StagePoint): View {
  const scale = clamp(view.scale * factor, MIN_SCALE, MAX_SCALE);
  const k = scale / view.scale;
  return { scale, x: at.x - (at.x - view.x) * k, y: at.y - (at.y - view.y) * k };
}

/** The image point under a stage point. */
export function toImage(view: View, point: StagePoint): Point {
  return { x: (point.x - view.x) / view.scale, y: (point.y - view.y) / view.scale };
}

/** The box cut to an image of another size (a repeated box from a larger image); undefined if nothing is left. */
export function boxInside(box: Box, image: Size): Box | undefined {
  const cut = clampBox(box, image);
  return boxWidth(cut) > 0 && boxHeight(cut) > 0 ? cut : undefined;
}
