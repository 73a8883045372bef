import { describe, expect, it } from "vitest";
import { iou, nms } from "./nms.js";

describe("nms", () => {
  it("computes intersection over union", () => {
    expect(iou([0, 0, 10, 10], [5, 0, 15, 10])).toBeCloseTo(50 / 150, 9);
    expect(iou([0, 0, 10, 10], [10, 0, 20, 10])).toBe(0);
  });

  it("drops boxes overlapping a better one of the same class above the threshold", () => {
    const kept = nms(
      [
        { box: [0, 0, 10, 10], score: 0.8, classIndex: 0 },
        { box: [1, 0, 11, 10], score: 0.9, classIndex: 0 }, // IoU 0.82 with the first
        { box: [1, 0, 11, 10], score: 0.7, classIndex: 1 }, // other class
        { box: [5, 0, 15, 10], score: 0.6, classIndex: 0 }, // IoU 0.43 with the best
      ],
      0.45,
    );
    expect(kept.map((k) => [k.score, k.classIndex])).toEqual([
      [0.9, 0],
      [0.7, 1],
      [0.6, 0],
    ]);
  });

  it("compares across classes when class-agnostic, and caps the count", () => {
    const candidates = [
      { box: [0, 0, 10, 10] as [number, number, number, number], score: 0.9, classIndex: 0 },
      { box: [0, 0, 10, 10] as [number, number, number, number], score: 0.8, classIndex: 1 },
      { box: [50, 50, 60, 60] as [number, number, number, number], score: 0.7, classIndex: 1 },
    ];
    expect(nms(candidates, 0.5, { classAgnostic: true }).map((k) => k.score)).toEqual([0.9, 0.7]);
    expect(nms(candidates, 0.5, { maxDetections: 1 }).map((k) => k.score)).toEqual([0.9]);
  });
});
