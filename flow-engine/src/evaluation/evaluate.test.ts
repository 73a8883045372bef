import type { TaskPrediction } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { evaluate } from "./evaluate.js";

const categorization = (name: string): TaskPrediction => ({
  type: "categorization",
  result: { best_label: { name, prob: 0.9 }, labels: [{ name, prob: 0.9 }] },
});

describe("evaluate", () => {
  it("runs every image, reports progress, and scores categorization with failures listed", async () => {
    const progress: number[] = [];
    const answers: Record<number, string> = { 0: "cat", 1: "cat", 2: "dog" };
    const outcome = await evaluate({
      taskType: "categorization",
      labels: ["cat", "dog"],
      samples: [
        { position: 0, truth: "cat" },
        { position: 1, truth: "dog" },
        { position: 2, truth: "dog" },
        { position: 3, truth: "dog" },
      ],
      predict: (sample) =>
        sample.position === 3
          ? Promise.reject(new Error("image is corrupt"))
          : Promise.resolve(categorization(answers[sample.position] ?? "")),
      onProgress: (n) => void progress.push(n),
    });
    expect(progress).toEqual([1, 2, 3, 4]);
    expect(outcome.metrics).toMatchObject({ type: "categorization", accuracy: 0.5 });
    expect(outcome.results.filter((r) => !r.correct)).toEqual([
      { position: 1, correct: false, truth: "dog", predicted: { label: "cat", prob: 0.9 } },
      { position: 3, correct: false, truth: "dog", predicted: { error: "image is corrupt" } },
    ]);
  });

  it("scores detection images as right only when every object is found and nothing else", async () => {
    const outcome = await evaluate({
      taskType: "detection",
      labels: ["face"],
      samples: [
        { position: 0, truth: [{ name: "face", box: [0, 0, 10, 10] }] },
        { position: 1, truth: [] },
      ],
      predict: () =>
        Promise.resolve({ type: "detection", result: [{ name: "face", prob: 0.8, bound_box: [0, 0, 10, 10] }] }),
    });
    expect(outcome.results.map((r) => r.correct)).toEqual([true, false]);
    expect(outcome.metrics).toMatchObject({ type: "detection", map50: 1 });
  });

  it("scores regression with MAE and RMSE", async () => {
    const outcome = await evaluate({
      taskType: "regression",
      labels: [],
      samples: [
        { position: 0, truth: 1 },
        { position: 1, truth: 3 },
      ],
      predict: () => Promise.resolve({ type: "regression", result: 2 }),
    });
    expect(outcome.metrics).toEqual({ type: "regression", count: 2, mae: 1, rmse: 1 });
  });
});
