import { describe, expect, it } from "vitest";
import { boxesOf, outcomesOf, type TraceEntry } from "./test-outcomes";

const entry = (over: Partial<TraceEntry>): TraceEntry => ({
  nodeId: "n",
  action: "core/recognition@1",
  scope: { kind: "record" },
  seen: {},
  written: {},
  handles: ["next"],
  timeMs: 2,
  credits: 1,
  ...over,
});

describe("outcomesOf", () => {
  it("sums runs, time and credits of a node that ran once per object, and counts its labels", () => {
    const outcomes = outcomesOf([
      entry({ nodeId: "select", objects: 2, written: { _objects: [] } }),
      entry({ written: { kind: { best_label: { name: "wolf", prob: 0.9 }, labels: [] } } }),
      entry({ written: { kind: { best_label: { name: "wolf", prob: 0.8 }, labels: [] } } }),
    ]);
    expect(outcomes.get("select")?.summary).toBe("2 objects");
    const classify = outcomes.get("n");
    expect(classify).toMatchObject({ runs: 2, timeMs: 4, credits: 2, summary: "wolf ×2" });
  });

  it("keeps errors and reports the branch a selector took", () => {
    const outcomes = outcomesOf([
      entry({ nodeId: "broken", error: "task x has no active model version", handles: [], credits: 0 }),
      entry({ nodeId: "branch", handles: ["branch:cat"] }),
    ]);
    expect(outcomes.get("broken")?.errors).toEqual(["task x has no active model version"]);
    expect(outcomes.get("branch")?.summary).toBe("→ cat");
  });
});

describe("boxesOf", () => {
  it("collects nested object boxes with what was recognized in each", () => {
    const record = {
      _objects: [
        {
          name: "car",
          prob: 0.9,
          bound_box: [0, 0, 100, 100],
          make: { best_label: { name: "volvo", prob: 0.7 }, labels: [] },
          _objects: [{ name: "plate", prob: 0.6, bound_box: [10, 80, 40, 95] }],
        },
      ],
    };
    expect(boxesOf(record)).toEqual([
      { box: [0, 0, 100, 100], caption: "car 0.90 · volvo 0.70", depth: 0 },
      { box: [10, 80, 40, 95], caption: "plate 0.60", depth: 1 },
    ]);
  });
});
