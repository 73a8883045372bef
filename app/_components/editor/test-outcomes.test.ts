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

  it("sums up what services wrote: text read, measures, colour names", () => {
    const outcomes = outcomesOf([
      entry({ nodeId: "ocr", objects: 2, written: { text: "Order 5521 shipped\nto Berlin, Germany today" } }),
      entry({
        nodeId: "quality",
        objects: 0,
        written: { quality: { sharpness: 812.43219, brightness: 0.5, contrast: 0.2, width: 10 } },
      }),
      entry({
        nodeId: "colors",
        written: { colors: { colors: [{ name: "white" }, { name: "navy" }, { name: "red" }, { name: "tan" }] } },
      }),
      entry({ nodeId: "faces", objects: 4, written: { face_count: 4 } }),
      entry({ nodeId: "no-faces", objects: 0, written: { face_count: 0 } }),
      entry({ nodeId: "count", written: { n: 2 / 3 } }),
    ]);
    expect(outcomes.get("ocr")?.summary).toBe("“Order 5521 shipped to Berli…”");
    expect(outcomes.get("quality")?.summary).toBe("sharpness 812.432 · brightness 0.5");
    expect(outcomes.get("colors")?.summary).toBe("white, navy, red");
    expect(outcomes.get("faces")?.summary).toBe("4 objects");
    expect(outcomes.get("no-faces")?.summary).toBe("0 objects");
    expect(outcomes.get("count")?.summary).toBe("0.667");
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
          _objects: [{ name: "plate", prob: 0.6, bound_box: [10, 80, 40, 95], text: "AB 123" }],
        },
      ],
    };
    expect(boxesOf(record)).toEqual([
      { box: [0, 0, 100, 100], caption: "car 0.90 · volvo 0.70", depth: 0 },
      { box: [10, 80, 40, 95], caption: "plate 0.60 · “AB 123”", depth: 1 },
    ]);
  });
});
