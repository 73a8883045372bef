/**
 * UltraFace (RFB-320) output decoding. The packaged detector includes UltraFace's post-processing:
 * `scores` [1, 4420, 2] are softmaxed (column 1 is "face") and `boxes` [1, 4420, 4] are corners
 * `[x1, y1, x2, y2]` normalised to 0..1. What is left is the threshold and NMS.
 */

export const INPUT_WIDTH = 320;
export const INPUT_HEIGHT = 240;
const CANDIDATES = 4420;

export interface FaceBox {
  /** `[xmin, ymin, xmax, ymax]` normalised to 0..1 of the model input. */
  box: [number, number, number, number];
  prob: number;
}

export function iou(a: readonly number[], b: readonly number[]): number {
  const [ax0 = 0, ay0 = 0, ax1 = 0, ay1 = 0] = a;
  const [bx0 = 0, by0 = 0, bx1 = 0, by1 = 0] = b;
  const w = Math.max(0, Math.min(ax1, bx1) - Math.max(ax0, bx0));
  const h = Math.max(0, Math.min(ay1, by1) - Math.max(ay0, by0));
  const inter = w * h;
  const union = (ax1 - ax0) * (ay1 - ay0) + (bx1 - bx0) * (by1 - by0) - inter;
  return union > 0 ? inter / union : 0;
}

/** Greedy NMS, most probable first. */
export function nms<T extends { box: readonly number[]; prob: number }>(items: readonly T[], threshold: number): T[] {
  const kept: T[] = [];
  for (const item of [...items].sort((a, b) => b.prob - a.prob)) {
    if (kept.every((k) => iou(k.box, item.box) <= threshold)) kept.push(item);
  }
  return kept;
}

/** Faces over `minProb` from the detector's `scores` and `boxes`, overlapping ones removed. */
export function decodeFaces(
  scores: Float32Array,
  boxes: Float32Array,
  minProb: number,
  iouThreshold: number,
): FaceBox[] {
  const count = CANDIDATES;
  if (scores.length !== count * 2 || boxes.length !== count * 4) {
    throw new Error(
      `the face detector returned ${scores.length / 2} scores and ${boxes.length / 4} boxes, expected ${count}`,
    );
  }
  const candidates: FaceBox[] = [];
  for (let i = 0; i < count; i++) {
    const prob = scores[i * 2 + 1] ?? 0;
    if (prob <= minProb) continue;
    const at = (k: number) => Math.min(Math.max(boxes[i * 4 + k] ?? 0, 0), 1);
    candidates.push({ box: [at(0), at(1), at(2), at(3)], prob });
  }
  return nms(candidates, iouThreshold);
}
