/**
 * DB (differentiable binarization) post-processing of PP-OCRv4's probability map, as PaddleOCR's
 * DBPostProcess: threshold the map, take each connected region, score it by its mean probability, and
 * grow ("unclip") its box by area * ratio / perimeter, since the model predicts shrunk text kernels.
 * Boxes are axis-aligned (the region's bounding box): rotated text is found, but boxed loosely.
 */

export interface DbParams {
  /** Pixel probability that counts as text (PaddleOCR: 0.3). */
  threshold: number;
  /** Mean probability a region needs to be kept (PaddleOCR: 0.6). */
  boxThreshold: number;
  /** Growth of the shrunk kernel (PaddleOCR: 1.5). */
  unclipRatio: number;
  /** Shortest side a grown box may have, in map pixels (PaddleOCR: 3, plus 2 after unclipping). */
  minSize: number;
}

export const DB_DEFAULTS: DbParams = { threshold: 0.3, boxThreshold: 0.6, unclipRatio: 1.5, minSize: 3 };

export interface TextBox {
  /** `[xmin, ymin, xmax, ymax]` in map pixels. */
  box: [number, number, number, number];
  score: number;
}

/** Text regions of a `height` x `width` probability map. */
export function dbBoxes(map: Float32Array, width: number, height: number, params: DbParams = DB_DEFAULTS): TextBox[] {
  const label = new Int32Array(width * height).fill(-1);
  const boxes: TextBox[] = [];
  const stack: number[] = [];
  for (let start = 0; start < map.length; start++) {
    if (label[start] !== -1 || (map[start] ?? 0) <= params.threshold) continue;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    let sum = 0;
    let count = 0;
    label[start] = boxes.length;
    stack.push(start);
    while (stack.length > 0) {
      const i = stack.pop() as number;
      const x = i % width;
      const y = (i - x) / width;
      sum += map[i] ?? 0;
      count++;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      // 8-connectivity, as OpenCV's findContours.
      for (let dy = -1; dy <= 1; dy++) {
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          const ny = y + dy;
          if (nx < 0 || ny < 0 || nx >= width || ny >= height) continue;
          const j = ny * width + nx;
          if (label[j] === -1 && (map[j] ?? 0) > params.threshold) {
            label[j] = boxes.length;
            stack.push(j);
          }
        }
      }
    }
    const w = x1 - x0 + 1;
    const h = y1 - y0 + 1;
    const score = sum / count;
    if (Math.min(w, h) < params.minSize || score < params.boxThreshold) continue;
    const grow = (w * h * params.unclipRatio) / (2 * (w + h));
    if (Math.min(w, h) + 2 * grow < params.minSize + 2) continue;
    boxes.push({
      box: [
        Math.max(x0 - grow, 0),
        Math.max(y0 - grow, 0),
        Math.min(x1 + 1 + grow, width),
        Math.min(y1 + 1 + grow, height),
      ],
      score,
    });
  }
  return boxes;
}

/** Reading order: top to bottom, and left to right within a line (boxes whose tops are within half a line). */
export function readingOrder<T extends { box: readonly number[] }>(items: readonly T[]): T[] {
  const top = (t: T) => t.box[1] ?? 0;
  const left = (t: T) => t.box[0] ?? 0;
  const sorted = [...items].sort((a, b) => top(a) - top(b) || left(a) - left(b));
  const lines: T[][] = [];
  for (const item of sorted) {
    const line = lines.at(-1);
    const first = line?.[0];
    const lineHeight = first ? (first.box[3] ?? 0) - (first.box[1] ?? 0) : 0;
    if (line && first && Math.abs(top(item) - top(first)) < lineHeight / 2) line.push(item);
    else lines.push([item]);
  }
  return lines.flatMap((line) => line.sort((a, b) => left(a) - left(b)));
}
