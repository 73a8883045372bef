/**
 * A plugin's predictions are checked before they reach callers, for an action (objects it returns) and for a
 * decoder (through a real ONNX model version): NaN, inverted boxes and probabilities of 7 or -1 fail the node
 * with `invalid_prediction` naming the plugin and the action or decoder; boxes are clamped to the image; an
 * object entirely outside the image runs no children and costs nothing.
 */
import { ActionRegistry, defineAction, definePlugin, type DetectedObject, type Logger } from "@vizflow/sdk";
import corePlugin from "@vizflow/plugin-core";
import { afterAll, describe, expect, it } from "vitest";

import {
  DecoderRegistry,
  InferencePool,
  InMemoryModelStore,
  ModelRuntime,
  type ModelAdapter,
} from "../runtime/index.js";
import { paint, toPng } from "../testing/images.js";
import { colourClassifierModel } from "../testing/tiny-models.js";
import { FlowEngine, type RecordResult } from "./engine.js";
import { onnxImageRuntime } from "./onnx-image-runtime.js";
import type { NodeTrace } from "./trace.js";
import { categorizes, FakeRuntime, fakeWorkspace, graph, records } from "./test-support.js";

/** A third-party plugin whose action returns the objects of its config (boxes in root pixels) and costs 2. */
const finder = definePlugin({
  name: "finder",
  title: "Finder",
  actions: [
    defineAction<{ objects: unknown[] }>({
      id: "find",
      version: 1,
      title: "Find",
      description: "Returns the configured objects.",
      category: "Test",
      config: { type: "object", properties: { objects: { type: "array" } } },
      handles: [{ id: "objects", fanOut: "objects" }],
      writes: { type: "object" },
      credits: 2,
      run: (_ctx, _scope, config) => Promise.resolve({ objects: config.objects as DetectedObject[] }),
    }),
  ],
  decoders: [
    {
      id: "given-boxes",
      title: "Given boxes",
      params: { type: "object", properties: { result: { type: "array" } } },
      taskTypes: ["detection"],
      // Whatever the model says: the boxes its params give (in model-input pixels, mapped to the root).
      decode: (input) => ({
        type: "detection",
        result: (input.params.result as DetectedObject[]).map((o) => ({
          ...o,
          bound_box: input.transform(o.bound_box),
        })),
      }),
    },
  ],
});

const registry = new ActionRegistry([corePlugin, finder]);

/** The error codes of the "node failed" lines an engine logs. */
function failureCodes(): { logger: Logger; codes: unknown[] } {
  const codes: unknown[] = [];
  const ignore = () => undefined;
  return {
    codes,
    logger: {
      debug: ignore,
      info: ignore,
      error: ignore,
      warn: (message, data) => {
        if (message === "node failed") codes.push(data?.errorCode);
      },
    },
  };
}
const tasks = {
  breed: { type: "categorization" as const, labels: ["husky"] },
};

/** The finder's objects fanned out to a recognition (1 credit per object) on a 200x100 image. */
async function runFinder(
  objects: unknown[],
): Promise<{ codes: unknown[]; record: RecordResult; credits: number; trace: NodeTrace[]; crops: unknown[] }> {
  const runtime = new FakeRuntime({ breed: categorizes("husky") });
  const { logger, codes } = failureCodes();
  const engine = new FlowEngine({ registry, runtime, logger });
  const flow = graph(
    [
      ["find", "finder/find@1", { objects }],
      ["rec", "core/recognition@1", { task: "breed", output: "breed" }],
    ],
    [
      ["in", "next", "find"],
      ["find", "objects", "rec"],
    ],
  );
  const result = await engine.run(fakeWorkspace({ tasks }), { graph: flow }, records([200, 100]), { debug: true });
  return {
    codes,
    record: result.records[0] as RecordResult,
    credits: result.statistics.credits,
    trace: result.traces?.[0] ?? [],
    crops: runtime.predictions.map((p) => p.box),
  };
}

const object = (prob: number, box: number[]) => ({ name: "dog", prob, bound_box: box });

describe("a plugin action's predictions", () => {
  it.each([
    ["NaN as a probability", object(Number.NaN, [0, 0, 10, 10]), /objects\[1\]\.prob is NaN, not a finite number/],
    [
      "NaN in a box",
      object(0.5, [0, Number.NaN, 10, 10]),
      /objects\[1\]\.bound_box is \[0, NaN, 10, 10\]; every coordinate must be a finite number/,
    ],
    [
      "an inverted box",
      object(0.5, [50, 0, 10, 10]),
      /objects\[1\]\.bound_box is \[50, 0, 10, 10\], which is inverted/,
    ],
    ["probability 7", object(7, [0, 0, 10, 10]), /objects\[1\]\.prob is 7; a probability must be within 0\.\.1/],
    ["probability -1", object(-1, [0, 0, 10, 10]), /objects\[1\]\.prob is -1; a probability must be within 0\.\.1/],
  ])("fails the node with invalid_prediction naming plugin and action for %s, billing nothing", async (_, bad, why) => {
    const { record, credits, crops, codes } = await runFinder([object(0.9, [0, 0, 50, 50]), bad]);
    expect(codes).toEqual(["invalid_prediction"]);
    expect(record._status.code).toBe(500);
    expect(record._status.text).toMatch(
      /^node "find" \(action finder\/find@1 of plugin finder\) failed: returned an invalid prediction: /,
    );
    expect(record._status.text).toMatch(why);
    expect(record).not.toHaveProperty("_objects");
    expect(crops).toEqual([]);
    expect(credits).toBe(0);
  });

  it("clamps a box that reaches outside the image, and its child runs on the clamped crop", async () => {
    const { record, crops } = await runFinder([object(0.9, [-20, 50, 60, 140])]);
    expect(record._status).toEqual({ code: 200, text: "OK" });
    expect((record._objects as DetectedObject[]).map((o) => o.bound_box)).toEqual([[0, 50, 60, 100]]);
    expect(crops).toEqual([[0, 50, 60, 100]]);
  });

  it("runs no children for an object entirely outside the image and bills only the action", async () => {
    const { record, credits, crops, trace } = await runFinder([
      object(0.9, [0, 0, 50, 50]),
      object(0.8, [300, 10, 340, 40]),
      object(0.7, [-50, -50, -10, -10]),
    ]);
    expect(record._status).toEqual({ code: 200, text: "OK" });
    expect((record._objects as DetectedObject[]).map((o) => o.bound_box)).toEqual([[0, 0, 50, 50]]);
    expect(crops).toEqual([[0, 0, 50, 50]]);
    // The finder (2) and one recognition (1): the two objects outside cost nothing.
    expect(credits).toBe(3);
    expect(trace.find((t) => t.nodeId === "find")?.objects).toBe(1);
  });
});

describe("a plugin decoder's predictions", () => {
  const adapter = (result: unknown[]): ModelAdapter => ({
    input: "input",
    width: 8,
    height: 8,
    resize: "stretch",
    colorOrder: "RGB",
    layout: "NCHW",
    decoder: { id: "given-boxes", params: { result } },
  });
  // Model-input pixels (8x8) map to the 200x100 record: x * 25, y * 12.5.
  const versions: Record<string, unknown[]> = {
    nan: [object(Number.NaN, [0, 0, 4, 4])],
    inverted: [object(0.5, [6, 0, 2, 4])],
    seven: [object(7, [0, 0, 4, 4])],
    minus: [object(-1, [0, 0, 4, 4])],
    outside: [object(0.9, [0, 0, 4, 4]), object(0.8, [9, 9, 12, 12])],
  };
  const store = new InMemoryModelStore(
    Object.entries(versions).map(([id, result]) => ({
      id,
      taskType: "detection" as const,
      labels: ["dog"],
      adapter: adapter(result),
      file: { bytes: colourClassifierModel() },
    })),
  );
  const pool = new InferencePool({ size: 1 });
  const models = new ModelRuntime({ store, pool, decoders: DecoderRegistry.withPlugins([finder]) });
  afterAll(async () => {
    await models.close();
    await pool.close();
  });

  async function runDecoder(version: string) {
    const { logger, codes } = failureCodes();
    const engine = new FlowEngine({ registry, runtime: onnxImageRuntime({ models }), logger });
    const workspace = fakeWorkspace({
      tasks: {
        pets: { type: "detection", labels: ["dog"], model: version },
        colour: { type: "categorization", labels: ["red", "green", "blue"], model: "colour" },
      },
    });
    const flow = graph([["sel", "core/object-selector@1", { task: "pets" }]], [["in", "next", "sel"]]);
    const image = Buffer.from(await toPng(paint(200, 100, () => [255, 0, 0]))).toString("base64");
    const result = await engine.run(workspace, { graph: flow }, [{ _base64: image }]);
    return { codes, record: result.records[0] as RecordResult, credits: result.statistics.credits };
  }

  it.each([
    ["nan", /result\[0\]\.prob is NaN, not a finite number/],
    ["inverted", /result\[0\]\.bound_box is \[150, 0, 50, 50\], which is inverted/],
    ["seven", /result\[0\]\.prob is 7; a probability must be within 0\.\.1/],
    ["minus", /result\[0\]\.prob is -1; a probability must be within 0\.\.1/],
  ])("fails the node naming plugin and decoder when it returns %s", async (version, why) => {
    const { record, credits, codes } = await runDecoder(version);
    expect(codes).toEqual(["invalid_prediction"]);
    expect(record._status.code).toBe(500);
    expect(record._status.text).toMatch(
      /node "sel" \(action core\/object-selector@1 of plugin core\) failed: decoder "given-boxes" of plugin "finder" returned an invalid prediction: /,
    );
    expect(record._status.text).toMatch(why);
    expect(credits).toBe(0);
  });

  it("leaves out an object its decoder puts entirely outside the image", async () => {
    const { record } = await runDecoder("outside");
    expect(record._status).toEqual({ code: 200, text: "OK" });
    expect((record._objects as DetectedObject[]).map((o) => o.bound_box)).toEqual([[0, 0, 100, 50]]);
  });
});
