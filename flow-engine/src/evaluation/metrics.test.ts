import { describe, expect, it } from "vitest";
import {
  averagePrecision,
  categorizationMetrics,
  detectionMetrics,
  matchDetections,
  regressionMetrics,
  taggingMetrics,
} from "./metrics.js";

describe("categorizationMetrics", () => {
  it("computes accuracy, per-label precision and recall and the confusion matrix by hand", () => {
    const m = categorizationMetrics(
      ["cat", "dog", "bird"],
      [
        { truth: "cat", predicted: "cat" },
        { truth: "cat", predicted: "dog" },
        { truth: "dog", predicted: "dog" },
        { truth: "dog", predicted: "dog" },
        { truth: "bird", predicted: "cat" },
        { truth: "bird", predicted: undefined },
      ],
    );
    expect(m.accuracy).toBe(0.5);
    expect(m.confusion).toEqual({
      labels: ["cat", "dog", "bird", "(other)"],
      matrix: [
        [1, 1, 0, 0],
        [0, 2, 0, 0],
        [1, 0, 0, 1],
      ],
    });
    expect(m.labels.map((l) => [l.label, l.precision, l.recall, l.support])).toEqual([
      ["cat", 0.5, 0.5, 2],
      ["dog", 2 / 3, 1, 2],
      ["bird", undefined, 0, 2],
    ]);
  });

  it("refuses a true label the task does not have", () => {
    expect(() => categorizationMetrics(["a"], [{ truth: "b", predicted: "a" }])).toThrow(/"b" is not one of/);
  });

  it("has no accuracy for an empty test set", () => {
    expect(categorizationMetrics(["a"], []).accuracy).toBeUndefined();
  });
});

describe("taggingMetrics", () => {
  it("computes per-label and micro precision and recall and the exact-match rate by hand", () => {
    const m = taggingMetrics(
      ["a", "b", "c"],
      [
        { truth: ["a", "b"], predicted: ["a"] },
        { truth: ["c"], predicted: ["c", "a"] },
        { truth: [], predicted: [] },
      ],
    );
    expect(m.exactMatch).toBeCloseTo(1 / 3);
    expect(m.microPrecision).toBeCloseTo(2 / 3);
    expect(m.microRecall).toBeCloseTo(2 / 3);
    expect(m.labels.map((l) => [l.label, l.truePositives, l.falsePositives, l.falseNegatives])).toEqual([
      ["a", 1, 1, 0],
      ["b", 0, 0, 1],
      ["c", 1, 0, 0],
    ]);
    expect(m.labels[0]?.precision).toBe(0.5);
    expect(m.labels[1]?.recall).toBe(0);
  });
});

describe("regressionMetrics", () => {
  it("computes MAE and RMSE by hand", () => {
    const m = regressionMetrics([
      { truth: 1, predicted: 2 },
      { truth: 2, predicted: 2 },
      { truth: 3, predicted: 5 },
    ]);
    expect(m.mae).toBe(1);
    expect(m.rmse).toBeCloseTo(Math.sqrt(5 / 3), 12);
  });
});

describe("averagePrecision", () => {
  it("is 1 for a perfect ranking and 0 with no hits", () => {
    expect(averagePrecision([{ prob: 0.9, matched: true }], 1)).toBe(1);
    expect(averagePrecision([{ prob: 0.9, matched: false }], 1)).toBe(0);
    expect(averagePrecision([], 2)).toBe(0);
  });

  it("interpolates precision at 101 recall points (TP, FP, TP over 2 positives)", () => {
    // Recall reaches 0.5 at precision 1, then 1.0 at precision 2/3: 51 points at 1 and 50 points at 2/3.
    const ap = averagePrecision(
      [
        { prob: 0.9, matched: true },
        { prob: 0.8, matched: false },
        { prob: 0.7, matched: true },
      ],
      2,
    );
    expect(ap).toBeCloseTo((51 + (50 * 2) / 3) / 101, 12);
  });

  it("counts a missed true object against recall (one of two found)", () => {
    expect(averagePrecision([{ prob: 0.9, matched: true }], 2)).toBeCloseTo(51 / 101, 12);
  });
});

describe("matchDetections", () => {
  it("lets the best-scoring prediction take a true object; a duplicate is a false positive", () => {
    const truth = [{ name: "cat", box: [0, 0, 10, 10] as [number, number, number, number] }];
    const matches = matchDetections(
      truth,
      [
        { name: "cat", prob: 0.6, box: [0, 0, 10, 10] },
        { name: "cat", prob: 0.9, box: [0, 0, 10, 9] },
        { name: "dog", prob: 0.95, box: [0, 0, 10, 10] },
      ],
      0.5,
    );
    expect(matches.map((m) => [m.prediction.name, m.prediction.prob, m.matched])).toEqual([
      ["dog", 0.95, false],
      ["cat", 0.9, true],
      ["cat", 0.6, false],
    ]);
  });
});

describe("detectionMetrics", () => {
  it("gives the hand-computed AP per label, mAP@0.5 and mAP@0.5:0.95 on a small set", () => {
    const labels = ["cat", "dog", "bird"];
    const m = detectionMetrics(labels, [
      {
        truth: [
          { name: "cat", box: [0, 0, 10, 10] },
          { name: "dog", box: [20, 20, 30, 30] },
        ],
        predicted: [
          { name: "cat", prob: 0.9, box: [0, 0, 10, 10] },
          { name: "cat", prob: 0.8, box: [50, 50, 60, 60] },
          // IoU with the dog is 62 / 100: a hit at 0.50, 0.55 and 0.60 only.
          { name: "dog", prob: 0.95, box: [20, 20, 30, 26.2] },
          { name: "bird", prob: 0.5, box: [70, 70, 80, 80] },
        ],
      },
      {
        truth: [{ name: "cat", box: [100, 100, 140, 120] }],
        predicted: [{ name: "cat", prob: 0.7, box: [100, 100, 140, 120] }],
      },
    ]);
    const catAp = (51 + (50 * 2) / 3) / 101;
    const [cat, dog, bird] = m.labels;
    expect(cat).toMatchObject({ label: "cat", support: 2, recall: 1 });
    expect(cat?.ap50).toBeCloseTo(catAp, 12);
    expect(cat?.ap50to95).toBeCloseTo(catAp, 12);
    expect(cat?.precision).toBeCloseTo(2 / 3, 12);
    expect(dog).toMatchObject({ label: "dog", support: 1, ap50: 1, precision: 1, recall: 1 });
    expect(dog?.ap50to95).toBeCloseTo(0.3, 12);
    expect(bird).toMatchObject({ label: "bird", support: 0, ap50: undefined, precision: 0, recall: undefined });
    expect(m.map50).toBeCloseTo((catAp + 1) / 2, 12);
    expect(m.map50to95).toBeCloseTo((catAp * 10 + 3) / 20, 12);
  });

  it("refuses a true object whose label the task does not have", () => {
    expect(() => detectionMetrics(["a"], [{ truth: [{ name: "z", box: [0, 0, 1, 1] }], predicted: [] }])).toThrow(
      /"z" is not one of/,
    );
  });
});
