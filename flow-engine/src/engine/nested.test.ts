import { GraphValidationError, type DetectedObject, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";

import { FlowEngine } from "./engine.js";
import { FlowNotFoundError } from "./errors.js";
import {
  categorizes,
  detects,
  FakeRuntime,
  fakeWorkspace,
  graph,
  records,
  testRegistry,
  type FakeFlow,
} from "./test-support.js";

const colourFlow = (label: string): FlowGraph =>
  graph([["rec", "core/recognition@1", { task: `colour-${label}`, output: "colour" }]], [["in", "next", "rec"]]);

function setup(flows: FakeFlow[], limits: { maxNestingDepth?: number } = {}) {
  const runtime = new FakeRuntime({
    "colour-red": categorizes("red"),
    "colour-blue": categorizes("blue"),
    pets: detects([{ name: "dog", prob: 0.9, bound_box: [10, 10, 40, 40] }]),
  });
  const engine = new FlowEngine({ registry: testRegistry(), runtime, limits });
  const workspace = fakeWorkspace({
    tasks: { "colour-red": "categorization", "colour-blue": "categorization", pets: "detection" },
    flows,
  });
  return { engine, runtime, workspace };
}

const outer = (version: number | "deployed", extra: Record<string, unknown> = {}) =>
  graph([["nest", "core/nested-flow@1", { flow: "colours", version, ...extra }]], [["in", "next", "nest"]]);

describe("nested flows", () => {
  const colours: FakeFlow = { id: "colours", versions: { 1: colourFlow("red"), 2: colourFlow("blue") }, deployed: 2 };

  it("runs a pinned version on the current scope and writes what it wrote, counting its credits", async () => {
    const { engine, workspace } = setup([colours]);
    const result = await engine.run(workspace, { graph: outer(1) }, records([10, 10]), { debug: true });
    expect(result.records[0]).toMatchObject({ colour: { best_label: { name: "red" } }, _status: { code: 200 } });
    expect(result.statistics.credits).toBe(1);
    const nest = result.traces?.[0]?.find((t) => t.nodeId === "nest");
    expect(nest?.credits).toBe(1);
    expect(nest?.nested?.map((t) => [t.nodeId, t.credits])).toEqual([
      ["in", 0],
      ["rec", 1],
    ]);
  });

  it("runs the deployed version when asked to", async () => {
    const { engine, workspace } = setup([colours]);
    const [record] = (await engine.run(workspace, { graph: outer("deployed") }, records([10, 10]))).records;
    expect(record).toMatchObject({ colour: { best_label: { name: "blue" } } });
  });

  it("writes the nested fields under the output field when the node has one", async () => {
    const { engine, workspace } = setup([colours]);
    const [record] = (await engine.run(workspace, { graph: outer(1, { output: "inner" }) }, records([10, 10]))).records;
    expect(record).toMatchObject({ inner: { colour: { best_label: { name: "red" } } } });
    expect(record).not.toHaveProperty("colour");
  });

  it("runs on an object's crop and writes into that object", async () => {
    const { engine, runtime, workspace } = setup([colours]);
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets" }],
        ["nest", "core/nested-flow@1", { flow: "colours", version: 1 }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "nest"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([100, 100]))).records;
    expect((record?._objects as DetectedObject[])[0]).toMatchObject({
      name: "dog",
      colour: { best_label: { name: "red" } },
    });
    expect(runtime.predictions.find((p) => p.taskId === "colour-red")?.box).toEqual([10, 10, 40, 40]);
  });

  it("lets the nested flow read the fields of the scope it runs on", async () => {
    const inner = graph([["copy", "acme/copy@1", { from: "note", to: "inner_saw" }]], [["in", "next", "copy"]]);
    const { engine, workspace } = setup([{ id: "reader", versions: { 1: inner } }]);
    const flow = graph(
      [
        ["set", "acme/set@1", { field: "note", value: "from outside" }],
        ["nest", "core/nested-flow@1", { flow: "reader", version: 1 }],
      ],
      [
        ["in", "next", "set"],
        ["set", "next", "nest"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([10, 10]))).records;
    expect(record).toMatchObject({ note: "from outside", inner_saw: "from outside" });
  });

  it("fails the nested-flow node with the inner node's error when a node inside fails", async () => {
    const failing = graph([["boom", "acme/fail@1", {}]], [["in", "next", "boom"]]);
    const { engine, workspace } = setup([{ id: "failing", versions: { 1: failing } }]);
    const flow = graph([["nest", "core/nested-flow@1", { flow: "failing", version: 1 }]], [["in", "next", "nest"]]);
    const result = await engine.run(workspace, { graph: flow }, records([10, 10]), { debug: true });
    expect(result.records[0]?._status.text).toBe(
      'node "nest" (action core/nested-flow@1 of plugin core) failed: nested flow failing: node "boom" (action acme/fail@1 of plugin acme) failed: boom',
    );
    expect(result.traces?.[0]?.find((t) => t.nodeId === "nest")?.nested?.[1]).toMatchObject({ error: "boom" });
  });

  it("bounds how deep flows nest at run time", async () => {
    const leaf = colourFlow("red");
    const middle = graph([["n", "core/nested-flow@1", { flow: "leaf", version: 1 }]], [["in", "next", "n"]]);
    const flows = [
      { id: "leaf", versions: { 1: leaf } },
      { id: "middle", versions: { 1: middle } },
    ];
    const flow = graph([["n", "core/nested-flow@1", { flow: "middle", version: 1 }]], [["in", "next", "n"]]);
    const shallow = setup(flows, { maxNestingDepth: 1 });
    const refused = await shallow.engine.prepare(shallow.workspace, { graph: flow }).then(
      () => undefined,
      (error: unknown) => error,
    );
    expect(refused).toBeInstanceOf(GraphValidationError);
    expect((refused as GraphValidationError).problems).toEqual([
      expect.objectContaining({ code: "nested_flow_too_deep", nodeId: "n", path: "/flow" }),
    ]);
    expect((refused as GraphValidationError).message).toMatch(
      /Flows nest 2 levels deep here \(this flow → "middle" → "leaf"\), but flows run at most 1 level inside/,
    );
    const deep = setup(flows, { maxNestingDepth: 2 });
    const [ok] = (await deep.engine.run(deep.workspace, { graph: flow }, records([10, 10]))).records;
    expect(ok).toMatchObject({ colour: { best_label: { name: "red" } }, _status: { code: 200 } });
  });

  it("fails the node when the deployed version is gone by the time the record runs", async () => {
    const flows: FakeFlow[] = [{ ...colours, deployed: 2 }];
    const { engine, workspace } = setup(flows);
    const prepared = await engine.prepare(workspace, { graph: outer("deployed") });
    delete flows[0]?.deployed;
    const [record] = (await engine.process(workspace, prepared, records([10, 10]))).records;
    expect(record?._status.text).toMatch(/failed: flow colours does not exist or has no deployed version/);
  });

  it("refuses to prepare a flow or version that does not exist", async () => {
    const { engine, workspace } = setup([colours]);
    await expect(engine.prepare(workspace, { flowId: "colours", version: 9 })).rejects.toThrow(
      new FlowNotFoundError("colours", 9),
    );
    await expect(engine.prepare(workspace, { flowId: "nope", version: "deployed" })).rejects.toBeInstanceOf(
      FlowNotFoundError,
    );
  });
});
