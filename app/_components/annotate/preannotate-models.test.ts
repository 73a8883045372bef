import { describe, expect, it } from "vitest";
import {
  modelNote,
  modelTitle,
  noModelReason,
  runSummary,
  sortedModels,
  type PreannotationModel,
} from "./preannotate-models";

const model = (over: Partial<PreannotationModel>): PreannotationModel => ({
  modelVersionId: "mv",
  taskId: "t",
  taskName: "COCO",
  taskType: "detection",
  version: 1,
  active: true,
  sameTask: false,
  usable: true,
  reason: null,
  missingLabels: [],
  labelsAdded: false,
  ...over,
});

const run = {
  status: "done" as const,
  processed: 3,
  total: 3,
  proposed: 2,
  dropped: 5,
  failed: 1,
  failures: [],
  error: null,
};

describe("pre-annotation dialog texts", () => {
  it("names this task's versions as this task's and says which is active", () => {
    expect(modelTitle(model({ sameTask: true, version: 2 }))).toBe("This task · version 2 (active)");
    expect(modelTitle(model({ active: false }))).toBe("COCO · version 1");
  });

  it("says why a version cannot be used, and what happens to labels the task lacks", () => {
    expect(modelNote(model({ usable: false, reason: "None of its labels is a label of this task." }))).toBe(
      "None of its labels is a label of this task.",
    );
    expect(modelNote(model({ missingLabels: ["a", "b", "c", "d", "e", "f"] }))).toBe(
      "Proposals of labels this task does not have (a, b, c, d and 2 more) are left out.",
    );
    expect(modelNote(model({ labelsAdded: true, missingLabels: ["a", "b"] }))).toBe(
      "Its 2 labels become this task's labels.",
    );
    expect(modelNote(model({}))).toBeUndefined();
  });

  it("puts usable versions first, this task's before others'", () => {
    const sorted = sortedModels([
      model({ modelVersionId: "x", usable: false }),
      model({ modelVersionId: "other" }),
      model({ modelVersionId: "own", sameTask: true }),
    ]);
    expect(sorted.map((m) => m.modelVersionId)).toEqual(["own", "other", "x"]);
  });

  it("explains when no version fits: none at all, none of the type, none sharing a label", () => {
    expect(noModelReason([], "detection")).toMatch(/upload a detector/);
    expect(noModelReason([model({ usable: false, taskType: "categorization" })], "detection")).toMatch(
      /none of the workspace's model versions is a detector/i,
    );
    expect(noModelReason([model({ usable: false })], "detection")).toMatch(/none shares a label/);
    expect(noModelReason([model({})], "detection")).toBeUndefined();
  });

  it("sums a run up as it goes and when it ends", () => {
    expect(runSummary({ ...run, status: "running", processed: 1 })).toBe("Proposing… 1 of 3 images");
    expect(runSummary(run)).toBe("Done: 2 of 3 images got a proposal; 5 labels the task lacks left out; 1 failed.");
    expect(runSummary({ ...run, status: "failed", error: "out of memory" })).toBe(
      "Failed after 3 of 3 images: out of memory.",
    );
  });
});
