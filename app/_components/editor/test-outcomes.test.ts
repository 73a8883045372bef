import { describe, expect, it } from "vitest";
import { boxesOf, countLabels, objectTrace, outcomesOf, summarizeCounts, type TraceEntry } from "./test-outcomes";

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
    expect(classify?.labels).toEqual([{ label: "wolf", count: 2 }]);
  });

  it("summarises many runs by their top labels and lists them all, commas in labels kept whole", () => {
    const best = (name: string) => entry({ written: { kind: { best_label: { name, prob: 0.5 }, labels: [] } } });
    const outcome = outcomesOf(
      ["tabby, tabby cat", "dog", "tabby, tabby cat", "fox", "tabby, tabby cat", "dog", "owl"].map(best),
    ).get("n");
    expect(outcome?.summary).toBe("tabby, tabby cat ×3 · dog ×2 · +2 more");
    expect(outcome?.labels).toEqual([
      { label: "tabby, tabby cat", count: 3 },
      { label: "dog", count: 2 },
      { label: "fox", count: 1 },
      { label: "owl", count: 1 },
    ]);
  });

  it("keeps a single run's tag list short on the node and complete in the labels", () => {
    const names = ["sky", "tree", "grass", "road", "car", "person"];
    const outcome = outcomesOf([
      entry({ written: { tags: { labels: names.map((name) => ({ name, prob: 0.6 })) } } }),
    ]).get("n");
    expect(outcome?.summary).toBe("sky · tree · +4 more");
    expect(outcome?.labels.map((l) => l.label)).toEqual(names);
  });

  it("counts the names of the objects a detection found, and the branches a selector took", () => {
    const outcomes = outcomesOf([
      entry({
        nodeId: "detect",
        objects: 3,
        written: { _objects: [{ name: "person" }, { name: "car" }, { name: "person" }] },
      }),
      entry({ nodeId: "pick", handles: ["branch:cat"] }),
      entry({ nodeId: "pick", handles: ["else"] }),
      entry({ nodeId: "pick", handles: ["branch:cat"] }),
    ]);
    expect(outcomes.get("detect")?.summary).toBe("3 objects");
    expect(outcomes.get("detect")?.labels).toEqual([
      { label: "person", count: 2 },
      { label: "car", count: 1 },
    ]);
    expect(outcomes.get("pick")?.summary).toBe("cat ×2 · else ×1");
  });

  it("counts the objects a Detection wrote, which runs nothing on each and so has no fan-out count", () => {
    const found = [{ name: "car" }, { name: "dog" }, { name: "person" }, { name: "car" }];
    const outcomes = outcomesOf([
      entry({ nodeId: "detect", action: "core/detection@1", written: { _objects: found } }),
    ]);
    expect(outcomes.get("detect")?.summary).toBe("4 objects");
    expect(outcomesOf([entry({ nodeId: "none", written: { _objects: [] } })]).get("none")?.summary).toBe("0 objects");
  });

  it("adds up the objects its runs left out because of a cap, and says 0 when none were", () => {
    const faces = (n: number) => Array.from({ length: n }, () => ({ name: "face", prob: 0.9, bound_box: [0, 0, 1, 1] }));
    const outcomes = outcomesOf([
      entry({ nodeId: "faces", action: "core/detection@1", written: { _objects: faces(3), _objects_dropped: 12 } }),
      entry({ nodeId: "faces", action: "core/detection@1", written: { _objects: faces(2), _objects_dropped: 1 } }),
      entry({ nodeId: "all", action: "core/detection@1", written: { _objects: faces(2) } }),
    ]);
    expect(outcomes.get("faces")?.dropped).toBe(13);
    expect(outcomes.get("all")?.dropped).toBe(0);
  });

  it("adds up the objects a node's children did not run on because of the fan-out cap", () => {
    const outcomes = outcomesOf([
      entry({ nodeId: "svc", action: "core/service@1", objects: 10, objectsSkipped: 4 }),
      entry({ nodeId: "svc", action: "core/service@1", objects: 10, objectsSkipped: 1 }),
    ]);
    expect(outcomes.get("svc")).toMatchObject({ objectsSkipped: 5, dropped: 0 });
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
    expect(outcomes.get("colors")?.summary).toBe("white · navy · red · +1 more");
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
      { box: [0, 0, 100, 100], caption: "car 0.90 · volvo 0.70", depth: 0, path: [0] },
      { box: [10, 80, 40, 95], caption: "plate 0.60 · “AB 123”", depth: 1, path: [0, 0] },
    ]);
  });
});

describe("summarizeCounts", () => {
  it("shows the top labels, cuts long ones, and says how many more there are", () => {
    const labels = countLabels(["a very long label name that goes on", "b", "b", "c", "d"]);
    expect(summarizeCounts(labels)).toBe("b ×2 · a very long label nam… ×1 · +2 more");
    expect(summarizeCounts(labels, 4)).toBe("b ×2 · a very long label nam… ×1 · c ×1 · d ×1");
  });
});

describe("objectTrace", () => {
  const object = (path: number[]) => ({
    kind: "object" as const,
    path,
    box: [0, 0, 1, 1] as [number, number, number, number],
  });
  const trace = [
    entry({ nodeId: "detect", objects: 2 }),
    entry({ nodeId: "classify", scope: object([0]) }),
    entry({ nodeId: "classify", scope: object([1]), objects: 1 }),
    entry({ nodeId: "plate", scope: object([1, 0]) }),
  ];

  it("finds the entry that ran on a clicked object, by its index in that node's entries", () => {
    expect(objectTrace(trace, [1])).toEqual({ nodeId: "classify", entry: 1 });
    expect(objectTrace(trace, [1, 0])).toEqual({ nodeId: "plate", entry: 0 });
  });

  it("falls back to the node that found the object when nothing ran on it", () => {
    expect(objectTrace(trace.slice(0, 1), [0])).toEqual({ nodeId: "detect", entry: 0 });
    expect(objectTrace([entry({ nodeId: "detect", objects: 0 })], [0])).toBeUndefined();
  });
});
