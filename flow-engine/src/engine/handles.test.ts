import { describe, expect, it } from "vitest";

import { FlowEngine } from "./engine.js";
import { FakeRuntime, fakeWorkspace, graph, records, testRegistry } from "./test-support.js";

const engine = new FlowEngine({ registry: testRegistry(), runtime: new FakeRuntime() });
const workspace = fakeWorkspace();

/** acme/fork@1 with `config`, and a writer under each of its handles. */
const forkFlow = (config: Record<string, unknown>) =>
  graph(
    [
      ["fork", "acme/fork@1", config],
      ["l", "acme/set@1", { field: "went_left", value: true }],
      ["r", "acme/copy@1", { from: "went_left", to: "right_saw_left" }],
    ],
    [
      ["in", "next", "fork"],
      ["fork", "left", "l"],
      ["fork", "right", "r"],
    ],
  );

async function runOne(config: Record<string, unknown>) {
  const result = await engine.run(workspace, { graph: forkFlow(config) }, records([5, 5]), { debug: true });
  return { record: result.records[0], trace: result.traces?.[0] ?? [] };
}

describe("handle rules", () => {
  it("takes every handle when the output names none, running their children side by side", async () => {
    const { record, trace } = await runOne({});
    expect(record).toMatchObject({ went_left: true, right_saw_left: null, _status: { code: 200 } });
    expect(trace.find((t) => t.nodeId === "fork")?.handles).toEqual(["left", "right"]);
  });

  it("runs only the children of the handles taken", async () => {
    const { record } = await runOne({ take: ["right"] });
    expect(record).toMatchObject({ right_saw_left: null });
    expect(record).not.toHaveProperty("went_left");
  });

  it("runs no children when no handle is taken", async () => {
    const { record, trace } = await runOne({ take: [] });
    expect(record).not.toHaveProperty("went_left");
    expect(record).not.toHaveProperty("right_saw_left");
    expect(trace.map((t) => t.nodeId)).toEqual(["in", "fork"]);
  });

  it("fails a node of an exclusive action that takes more than one handle", async () => {
    const { record } = await runOne({ exclusive: true, write: { note: 1 } });
    expect(record?._status.text).toBe(
      'node "fork" (action acme/fork@1 of plugin acme) failed: took 2 handles (left, right) but may take at most one',
    );
    expect(record).not.toHaveProperty("note");
    expect(record).not.toHaveProperty("went_left");
  });

  it("refuses to write fields that would change a scope's prototype", async () => {
    const { record } = await runOne({ take: [], write: JSON.parse('{"__proto__": {"polluted": true}}') as object });
    expect(record?._status.text).toMatch(/wrote a field named "__proto__", which is not allowed/);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });
});
