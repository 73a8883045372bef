import { describe, expect, test } from "vitest";
import { keepKnownLabels, proposalOf } from "./preannotation-job";

const image = { width: 100, height: 80 };

describe("proposalOf", () => {
  test("categorization: the top label", () => {
    expect(
      proposalOf(
        {
          type: "categorization",
          result: {
            best_label: { name: "cat", prob: 0.7 },
            labels: [
              { name: "cat", prob: 0.7 },
              { name: "dog", prob: 0.3 },
            ],
          },
        },
        image,
      ),
    ).toEqual({ kind: "category", label: "cat" });
  });

  test("tagging: the labels the decoder kept over the threshold; none gives no proposal", () => {
    const tags = {
      type: "tagging" as const,
      result: {
        labels: [
          { name: "sky", prob: 0.9 },
          { name: "sea", prob: 0.6 },
        ],
      },
    };
    expect(proposalOf(tags, image)).toEqual({ kind: "tags", tags: ["sky", "sea"] });
    expect(proposalOf({ type: "tagging", result: { labels: [] } }, image)).toBeNull();
  });

  test("regression: the value, unless it is not a number", () => {
    expect(proposalOf({ type: "regression", result: 3.25 }, image)).toEqual({ kind: "value", value: 3.25 });
    expect(proposalOf({ type: "regression", result: Number.NaN }, image)).toBeNull();
  });

  test("detection: boxes clamped to the image, boxes without area dropped", () => {
    expect(
      proposalOf(
        {
          type: "detection",
          result: [
            { name: "cat", prob: 0.9, bound_box: [-5, 10.123, 50, 90] },
            { name: "dog", prob: 0.8, bound_box: [120, 10, 130, 20] },
          ],
        },
        image,
      ),
    ).toEqual({ kind: "boxes", boxes: [{ label: "cat", box: [0, 10.12, 50, 80] }] });
    expect(proposalOf({ type: "detection", result: [] }, image)).toBeNull();
  });
});

describe("keepKnownLabels", () => {
  const known = new Set(["cat"]);
  test("drops boxes, tags and categories the task lacks, counting them", () => {
    expect(
      keepKnownLabels(
        {
          kind: "boxes",
          boxes: [
            { label: "cat", box: [0, 0, 1, 1] },
            { label: "dog", box: [0, 0, 1, 1] },
            { label: "dog", box: [1, 1, 2, 2] },
          ],
        },
        known,
      ),
    ).toEqual({ annotation: { kind: "boxes", boxes: [{ label: "cat", box: [0, 0, 1, 1] }] }, dropped: 2 });
    expect(keepKnownLabels({ kind: "tags", tags: ["dog"] }, known)).toEqual({ annotation: null, dropped: 1 });
    expect(keepKnownLabels({ kind: "category", label: "dog" }, known)).toEqual({ annotation: null, dropped: 1 });
    expect(keepKnownLabels({ kind: "category", label: "cat" }, known)).toEqual({
      annotation: { kind: "category", label: "cat" },
      dropped: 0,
    });
    expect(keepKnownLabels({ kind: "value", value: 1 }, known)).toEqual({
      annotation: { kind: "value", value: 1 },
      dropped: 0,
    });
  });
});
