/** Greedy non-maximum suppression over boxes in one coordinate system. */
import type { BoundingBox } from "@vizflow/sdk";

export interface Candidate {
  box: BoundingBox;
  score: number;
  /** Class index; NMS compares only candidates of the same class unless class-agnostic. */
  classIndex: number;
}

export function iou(a: BoundingBox, b: BoundingBox): number {
  const iw = Math.min(a[2], b[2]) - Math.max(a[0], b[0]);
  const ih = Math.min(a[3], b[3]) - Math.max(a[1], b[1]);
  if (iw <= 0 || ih <= 0) return 0;
  const inter = iw * ih;
  const union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter;
  return union > 0 ? inter / union : 0;
}

/**
 * Keeps the best-scoring candidates, dropping any that overlaps a kept one of the same class
 * (any class when `classAgnostic`) by more than `iouThreshold`. Returns them best first.
 */
export function nms(
  candidates: readonly Candidate[],
  iouThreshold: number,
  options: { classAgnostic?: boolean; maxDetections?: number } = {},
): Candidate[] {
  const sorted = [...candidates].sort((a, b) => b.score - a.score);
  const kept: Candidate[] = [];
  const max = options.maxDetections ?? Number.POSITIVE_INFINITY;
  for (const c of sorted) {
    if (kept.length >= max) break;
    const suppressed = kept.some(
      (k) => (options.classAgnostic === true || k.classIndex === c.classIndex) && iou(k.box, c.box) > iouThreshold,
    );
    if (!suppressed) kept.push(c);
  }
  return kept;
}
