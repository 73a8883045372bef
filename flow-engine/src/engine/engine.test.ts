import { describe, expect, it } from "vitest";

import { FlowEngine } from "./engine.js";
import {
  busy,
  categorizes,
  FakeRuntime,
  fakeWorkspace,
  graph,
  records,
  testRegistry,
  type FakePredictor,
  type FakeTasks,
} from "./test-support.js";

function setup(predictors: Record<string, FakePredictor> = {}, tasks: FakeTasks = {}) {
  const runtime = new FakeRuntime(predictors);
  const engine = new FlowEngine({ registry: testRegistry(), runtime });
  const workspace = fakeWorkspace({ tasks });
  return { engine, runtime, workspace };
}

const tagging =
  (probs: Record<string, number>): FakePredictor =>
  () => ({
    type: "tagging",
    result: { labels: Object.entries(probs).map(([name, prob]) => ({ name, prob })) },
  });

describe("processing records", () => {
  it("returns echoed fields, written fields, image size, status and statistics", async () => {
    const { engine, workspace } = setup({ animal: categorizes("cat", 0.8) }, { animal: "categorization" });
    const flow = graph([["rec", "core/recognition@1", { task: "animal", output: "animal" }]], [["in", "next", "rec"]]);
    const result = await engine.run(workspace, { graph: flow }, [
      { _id: "a", customer: 7, ...records([640, 480])[0], _id2: 1 },
    ]);
    expect(result.records).toEqual([
      {
        _id: "r0",
        customer: 7,
        _id2: 1,
        animal: { best_label: { name: "cat", prob: 0.8 }, labels: [{ name: "cat", prob: 0.8 }] },
        _width: 640,
        _height: 480,
        _status: { code: 200, text: "OK" },
      },
    ]);
    expect(result.statistics.credits).toBe(1);
    expect(result.statistics.processing_time_ms).toBeGreaterThanOrEqual(0);
    expect(result.traces).toBeUndefined();
  });

  it("runs a chain as a sequence: a node sees what its parent wrote", async () => {
    const { engine, workspace } = setup();
    const flow = graph(
      [
        ["a", "acme/set@1", { field: "first", value: 1 }],
        ["b", "acme/copy@1", { from: "first", to: "seen_first" }],
      ],
      [
        ["in", "next", "a"],
        ["a", "next", "b"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([10, 10]))).records;
    expect(record).toMatchObject({ first: 1, seen_first: 1 });
  });

  it("lets a sequence List child see what earlier children (and their subtrees) wrote, in edge order", async () => {
    const { engine, workspace } = setup();
    const flow = (mode: "sequence" | "parallel") =>
      graph(
        [
          ["list", "core/list@1", { mode }],
          ["late", "acme/copy@1", { from: "deep", to: "late_saw" }],
          ["early", "acme/set@1", { field: "early", value: "e", delayMs: 20 }],
          ["deep", "acme/set@1", { field: "deep", value: "d" }],
        ],
        [
          ["in", "next", "list"],
          ["list", "next", "late", 2],
          ["list", "next", "early", 1],
          ["early", "next", "deep"],
        ],
      );
    const sequence = (await engine.run(workspace, { graph: flow("sequence") }, records([10, 10]))).records[0];
    expect(sequence).toMatchObject({ early: "e", deep: "d", late_saw: "d" });
    const parallel = (await engine.run(workspace, { graph: flow("parallel") }, records([10, 10]))).records[0];
    expect(parallel).toMatchObject({ early: "e", deep: "d", late_saw: null });
  });

  it("does not let concurrent siblings see each other's writes, even when one finishes first", async () => {
    const { engine, workspace } = setup();
    const flow = graph(
      [
        ["fast", "acme/set@1", { field: "fast", value: 1 }],
        ["slow", "acme/copy@1", { from: "fast", to: "slow_saw" }],
        ["wait", "acme/set@1", { field: "waited", value: true, delayMs: 20 }],
      ],
      [
        ["in", "next", "fast"],
        ["in", "next", "wait"],
        ["wait", "next", "slow"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([10, 10]))).records;
    expect(record).toMatchObject({ fast: 1, waited: true, slow_saw: null });
  });

  it("runs the children of one handle concurrently unless the parent is sequential", async () => {
    const { engine, workspace } = setup();
    const flow = (mode: "sequence" | "parallel") =>
      graph(
        [
          ["list", "core/list@1", { mode }],
          ["a", "acme/busy@1", { field: "a", delayMs: 20 }],
          ["b", "acme/busy@1", { field: "b", delayMs: 20 }],
          ["c", "acme/busy@1", { field: "c", delayMs: 20 }],
        ],
        [
          ["in", "next", "list"],
          ["list", "next", "a"],
          ["list", "next", "b"],
          ["list", "next", "c"],
        ],
      );
    busy.reset();
    await engine.run(workspace, { graph: flow("parallel") }, records([10, 10]));
    expect(busy.max).toBe(3);
    busy.reset();
    await engine.run(workspace, { graph: flow("sequence") }, records([10, 10]));
    expect(busy.max).toBe(1);
  });
});

describe("handles", () => {
  const branches = (task: string, extra: Record<string, unknown> = {}) =>
    graph(
      [
        ["sel", "core/branch-selector@1", { task, branches: ["cat", "dog"], ...extra }],
        ["cat", "acme/set@1", { field: "went_cat", value: true }],
        ["dog", "acme/set@1", { field: "went_dog", value: true }],
        ["other", "acme/set@1", { field: "went_else", value: true }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "branch:cat", "cat"],
        ["sel", "branch:dog", "dog"],
        ["sel", "else", "other"],
      ],
    );

  it("runs only the branch of the label a categorization found", async () => {
    const { engine, workspace } = setup(
      { animal: categorizes("dog"), bird: categorizes("parrot") },
      {
        animal: { type: "categorization", labels: ["cat", "dog", "parrot"] },
        bird: { type: "categorization", labels: ["cat", "dog", "parrot"] },
      },
    );
    const [dog] = (await engine.run(workspace, { graph: branches("animal") }, records([10, 10]))).records;
    expect(dog).toMatchObject({ went_dog: true, _status: { code: 200 } });
    expect(dog).not.toHaveProperty("went_cat");
    expect(dog).not.toHaveProperty("went_else");
    const [other] = (await engine.run(workspace, { graph: branches("bird") }, records([10, 10]))).records;
    expect(other).toMatchObject({ went_else: true });
    expect(other).not.toHaveProperty("went_dog");
  });

  it("runs several branches of a tagging task when the selector takes several", async () => {
    const { engine, workspace } = setup(
      { tags: tagging({ cat: 0.9, dog: 0.7, fish: 0.8 }) },
      { tags: { type: "tagging", labels: ["cat", "dog", "fish"] } },
    );
    const [both] = (await engine.run(workspace, { graph: branches("tags", { multiple: true }) }, records([10, 10])))
      .records;
    expect(both).toMatchObject({ went_cat: true, went_dog: true });
    expect(both).not.toHaveProperty("went_else");
    const [one] = (await engine.run(workspace, { graph: branches("tags") }, records([10, 10]))).records;
    expect(one).toMatchObject({ went_cat: true });
    expect(one).not.toHaveProperty("went_dog");
  });

  it("runs the true or the false children of a condition over fields written upstream", async () => {
    const { engine, workspace } = setup({ animal: categorizes("cat", 0.95) }, { animal: "categorization" });
    const flow = (value: number) =>
      graph(
        [
          ["rec", "core/recognition@1", { task: "animal", output: "animal" }],
          ["cond", "core/condition@1", { conditions: [{ field: "animal.best_label.prob", op: ">=", value }] }],
          ["yes", "acme/set@1", { field: "verdict", value: "sure" }],
          ["no", "acme/set@1", { field: "verdict", value: "unsure" }],
        ],
        [
          ["in", "next", "rec"],
          ["rec", "next", "cond"],
          ["cond", "true", "yes"],
          ["cond", "false", "no"],
        ],
      );
    expect((await engine.run(workspace, { graph: flow(0.9) }, records([10, 10]))).records[0]).toMatchObject({
      verdict: "sure",
    });
    expect((await engine.run(workspace, { graph: flow(0.99) }, records([10, 10]))).records[0]).toMatchObject({
      verdict: "unsure",
    });
  });

  it("calls a plugin's service through the Service action and checks its config", async () => {
    const { engine, workspace } = setup();
    const flow = (config: Record<string, unknown>) =>
      graph([["svc", "core/service@1", { action: "acme/blur@1", config }]], [["in", "next", "svc"]]);
    const ok = await engine.run(workspace, { graph: flow({ radius: 4 }) }, records([10, 10]));
    expect(ok.records[0]).toMatchObject({ blurred: 4, _status: { code: 200 } });
    expect(ok.statistics.credits).toBe(3);
  });
});

describe("debug trace", () => {
  it("records per node the scope, fields seen and written, handles taken, time and credits", async () => {
    const { engine, workspace } = setup(
      { animal: categorizes("cat") },
      { animal: { type: "categorization", labels: ["cat", "dog"] } },
    );
    const flow = graph(
      [
        ["sel", "core/branch-selector@1", { task: "animal", branches: ["cat", "dog"] }],
        ["cat", "acme/set@1", { field: "kind", value: "cat" }],
        ["dog", "acme/set@1", { field: "kind", value: "dog" }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "branch:cat", "cat"],
        ["sel", "branch:dog", "dog"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, [{ _id: "x", note: "hi", ...records([10, 10])[0] }], {
      debug: true,
    });
    const trace = result.traces?.[0] ?? [];
    expect(trace.map((t) => t.nodeId)).toEqual(["in", "sel", "cat"]);
    expect(trace[0]).toMatchObject({
      action: "core/input@1",
      scope: { kind: "record" },
      handles: ["next"],
      credits: 0,
    });
    expect(trace[1]).toMatchObject({ handles: ["branch:cat"], credits: 1, written: {}, seen: { note: "hi" } });
    expect(trace[2]).toMatchObject({ written: { kind: "cat" }, handles: ["next"], credits: 0 });
    expect(trace[2]?.error).toBeUndefined();
    for (const entry of trace) expect(entry.timeMs).toBeGreaterThanOrEqual(0);
  });
});
