import type { DetectedObject } from "@vizflow/sdk";
import { afterAll, describe, expect, it } from "vitest";

import { InferencePool, InMemoryModelStore, ModelRuntime, type ModelAdapter } from "../runtime/index.js";
import { paint, toPng } from "../testing/images.js";
import { colourClassifierModel, fixedSsdModel } from "../testing/tiny-models.js";
import { FlowEngine } from "./engine.js";
import { onnxImageRuntime } from "./onnx-image-runtime.js";
import { fakeWorkspace, graph, testRegistry } from "./test-support.js";

const adapter: ModelAdapter = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
};

const store = new InMemoryModelStore([
  {
    id: "colour-v1",
    taskType: "categorization",
    labels: ["red", "green", "blue"],
    adapter,
    file: { bytes: colourClassifierModel() },
  },
  {
    // Always finds one object in the middle half of whatever scope it sees.
    id: "middle-v1",
    taskType: "detection",
    labels: ["thing"],
    adapter: { ...adapter, decoder: { id: "ssd", params: { threshold: 0.5 } } },
    file: { bytes: fixedSsdModel([[0.1, 0.9]], [[0.25, 0.25, 0.75, 0.75]]) },
  },
]);
const pool = new InferencePool({ size: 1 });
const models = new ModelRuntime({ store, pool });
afterAll(async () => {
  await models.close();
  await pool.close();
});

/** 40x40: blue, with a red square [10, 30) and inside it a green square [15, 25). */
const nestedSquares = paint(40, 40, (x, y) => {
  const inside = (lo: number, hi: number) => x >= lo && x < hi && y >= lo && y < hi;
  return inside(15, 25) ? [0, 255, 0] : inside(10, 30) ? [255, 0, 0] : [0, 0, 255];
});

describe("the engine on real ONNX models", () => {
  it("classifies the record, its object's crop and that crop's object, with boxes in root pixels", async () => {
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models }) });
    const workspace = fakeWorkspace({
      tasks: {
        colour: { type: "categorization", labels: ["red", "green", "blue"] },
        middle: { type: "detection", labels: ["thing"] },
      },
    });
    // The fake workspace names each task's active version `<task>-v1`.
    const flow = graph(
      [
        ["whole", "core/recognition@1", { task: "colour", output: "colour" }],
        ["outer", "core/object-selector@1", { task: "middle" }],
        ["outer-colour", "core/recognition@1", { task: "colour", output: "colour" }],
        ["inner", "core/object-selector@1", { task: "middle" }],
        ["inner-colour", "core/recognition@1", { task: "colour", output: "colour" }],
      ],
      [
        ["in", "next", "whole"],
        ["in", "next", "outer"],
        ["outer", "objects", "outer-colour"],
        ["outer", "objects", "inner"],
        ["inner", "objects", "inner-colour"],
      ],
    );
    const png = Buffer.from(await toPng(nestedSquares)).toString("base64");
    const result = await engine.run(workspace, { graph: flow }, [
      { _id: "squares", _base64: png },
      { _id: "broken", _base64: Buffer.from("not an image at all").toString("base64") },
    ]);
    const [record, broken] = result.records;
    expect(record).toMatchObject({ _width: 40, _height: 40, _status: { code: 200 } });
    expect(record).toMatchObject({ colour: { best_label: { name: "blue" } } });
    const outer = (record?._objects as DetectedObject[])[0];
    expect(outer).toMatchObject({
      name: "thing",
      bound_box: [10, 10, 30, 30],
      colour: { best_label: { name: "red" } },
    });
    const inner = (outer?._objects as DetectedObject[])[0];
    expect(inner).toMatchObject({
      name: "thing",
      bound_box: [15, 15, 25, 25],
      colour: { best_label: { name: "green" } },
    });
    expect(broken?._status.code).toBeGreaterThanOrEqual(400);
    expect(broken?._status.code).toBeLessThan(500);
    // Record: colour + detection; outer object: colour + detection; inner object: colour.
    expect(result.statistics.credits).toBe(5);
  });
});

describe("warming a flow", () => {
  it("loads the active model version of every task the flow and its nested flows use", async () => {
    const warmModels = new ModelRuntime({ store, pool });
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models: warmModels }) });
    const inner = graph([["c", "core/recognition@1", { task: "colour", output: "colour" }]], [["in", "next", "c"]]);
    const workspace = fakeWorkspace({
      tasks: { colour: { type: "categorization", labels: ["red", "green", "blue"] }, middle: "detection" },
      flows: [{ id: "inner", versions: { 1: inner } }],
    });
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "middle" }],
        ["nest", "core/nested-flow@1", { flow: "inner", version: 1 }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "nest"],
      ],
    );
    const prepared = await engine.prepare(workspace, { graph: flow });
    expect((await engine.warm(workspace, prepared)).sort()).toEqual(["colour-v1", "middle-v1"]);
    expect(warmModels.loadedKeys().length).toBe(2);
    await warmModels.close();
  });
});
