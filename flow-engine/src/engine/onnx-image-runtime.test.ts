import type { DetectedObject } from "@vizflow/sdk";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { InferencePool, InMemoryModelStore, ModelRuntime, type ModelAdapter } from "../runtime/index.js";
import { paint, toPng } from "../testing/images.js";
import { colourClassifierModel, fixedSsdModel } from "../testing/tiny-models.js";
import { FlowEngine } from "./engine.js";
import { onnxImageRuntime } from "./onnx-image-runtime.js";
import { PixelBudget, PixelBudgetBusyError, RequestPixelsError } from "./pixel-budget.js";
import type { ImageRuntime } from "./sources.js";
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

/** A JPEG of solid blue, `width` x `height`, as base64. */
async function blueJpeg(width: number, height: number): Promise<string> {
  const jpeg = await sharp({ create: { width, height, channels: 3, background: { r: 0, g: 0, b: 255 } } })
    .jpeg()
    .toBuffer();
  return jpeg.toString("base64");
}

/** The runtime, remembering the size each record image was decoded at. */
function watchedRuntime(): ImageRuntime & { decoded: { width: number; height: number }[] } {
  const runtime = onnxImageRuntime({ models });
  const decoded: { width: number; height: number }[] = [];
  return {
    ...runtime,
    decoded,
    async decodeImage(bytes, signal, hints) {
      const image = await runtime.decodeImage(bytes, signal, hints);
      const { width, height } = await image.pixels();
      decoded.push({ width, height });
      return image;
    },
  };
}

const tasks = {
  colour: { type: "categorization" as const, labels: ["red", "green", "blue"] },
  middle: { type: "detection" as const, labels: ["thing"] },
};

describe("decoding at the resolution the flow needs", () => {
  it("shrinks a large JPEG on load for a flow of whole-image models, with sizes and boxes in its own pixels", async () => {
    const runtime = watchedRuntime();
    const engine = new FlowEngine({ registry: testRegistry(), runtime });
    const flow = graph(
      [
        ["detect", "core/detection@1", { task: "middle" }],
        ["colour", "core/recognition@1", { task: "colour", output: "colour" }],
      ],
      [
        ["in", "next", "detect"],
        ["in", "next", "colour"],
      ],
    );
    const result = await engine.run(fakeWorkspace({ tasks }), { graph: flow }, [
      { _base64: await blueJpeg(4000, 2000) },
    ]);
    const [record] = result.records;
    expect(record).toMatchObject({ _width: 4000, _height: 2000, _status: { code: 200 } });
    expect(record).toMatchObject({ colour: { best_label: { name: "blue" } } });
    // The models take 8x8: the short side may go down to 2 x 8, so 1/8 is as far as JPEG shrinks.
    expect(runtime.decoded).toEqual([{ width: 500, height: 250 }]);
    // The detector's middle half, in the image's own pixels (not the decoded 500x250).
    expect((record?._objects as DetectedObject[])[0]?.bound_box).toEqual([1000, 500, 3000, 1500]);
  });

  it("decodes at full size for a flow that crops objects (the crops need the detail)", async () => {
    const runtime = watchedRuntime();
    const engine = new FlowEngine({ registry: testRegistry(), runtime });
    const flow = graph(
      [
        ["outer", "core/object-selector@1", { task: "middle" }],
        ["colour", "core/recognition@1", { task: "colour", output: "colour" }],
      ],
      [
        ["in", "next", "outer"],
        ["outer", "objects", "colour"],
      ],
    );
    const result = await engine.run(fakeWorkspace({ tasks }), { graph: flow }, [
      { _base64: await blueJpeg(2000, 1200) },
    ]);
    expect(result.records[0]).toMatchObject({ _width: 2000, _height: 1200, _status: { code: 200 } });
    expect(runtime.decoded).toEqual([{ width: 2000, height: 1200 }]);
  });
});

describe("the engine within its pixel limits", () => {
  const colourFlow = graph(
    [["colour", "core/recognition@1", { task: "colour", output: "colour" }]],
    [["in", "next", "colour"]],
  );
  const png = async (width: number, height: number) =>
    Buffer.from(await toPng(paint(width, height, () => [255, 0, 0]))).toString("base64");

  it("refuses a request whose images decode to more than a request may, naming the total and the limit", async () => {
    const engine = new FlowEngine({
      registry: testRegistry(),
      runtime: onnxImageRuntime({ models }),
      limits: { maxPixelsPerRequest: 1_000_000 },
    });
    const image = await png(1000, 600);
    const error = await engine
      .run(fakeWorkspace({ tasks }), { graph: colourFlow }, [{ _base64: image }, { _base64: image }])
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(RequestPixelsError);
    expect((error as Error).message).toContain("1.2 megapixels in all, more than the limit of 1.0 megapixels");
  });

  it("waits for room in the budget, refuses with 503 past the wait, and gives the pixels back after each request", async () => {
    const pixelBudget = new PixelBudget({ capacity: 1_000_000, maxWaitMs: 50, maxWaiting: 4 });
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models }), pixelBudget });
    const workspace = fakeWorkspace({ tasks });
    const image = await png(800, 600);
    const ok = await engine.run(workspace, { graph: colourFlow }, [{ _base64: image }]);
    expect(ok.records[0]).toMatchObject({ _status: { code: 200 }, colour: { best_label: { name: "red" } } });
    expect(pixelBudget.used).toBe(0);

    const other = await pixelBudget.acquire(600_000);
    await expect(engine.run(workspace, { graph: colourFlow }, [{ _base64: image }])).rejects.toBeInstanceOf(
      PixelBudgetBusyError,
    );
    // Given room while it waits, it runs.
    const waiting = engine.run(workspace, { graph: colourFlow }, [{ _base64: image }]);
    other();
    expect((await waiting).records[0]?._status.code).toBe(200);
    expect(pixelBudget.used).toBe(0);

    // Records that fail (an image that does not decode) give their pixels back too.
    const failed = await engine.run(workspace, { graph: colourFlow }, [
      { _base64: image.slice(0, 200) },
      { _base64: image },
    ]);
    expect(failed.records.map((r) => r._status.code)).toEqual([422, 200]);
    expect(pixelBudget.used).toBe(0);
  });
});

// Last: closing its second runtime releases the shared pool's sessions of the same versions.
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
