import { describe, expect, it } from "vitest";

import { defineAction, type ModelHost, type RawImage } from "../action.js";
import type { BoundingBox, DetectedObject } from "../records.js";
import { fakeModels } from "./fake-models.js";
import { ActionContractError, runAction } from "./run-action.js";

const image: RawImage = { data: new Uint8Array(20 * 10 * 3).fill(90), width: 20, height: 10, channels: 3 };
const cat = { name: "cat", prob: 0.9 };

const recognition = defineAction<{ task: string }>({
  id: "recognition",
  version: 1,
  title: "Recognition",
  description: "",
  category: "Models",
  config: { type: "object", required: ["task"], properties: { task: { type: "string" } } },
  handles: [{ id: "next" }],
  writes: {
    type: "object",
    properties: { best_label: { type: "object", required: ["name", "prob"] }, size: { type: "array" } },
    additionalProperties: false,
  },
  async run(ctx, _scope, config) {
    const prediction = await ctx.models.predict(config.task);
    if (prediction.type !== "categorization") throw new Error("not a categorization task");
    return { write: { best_label: prediction.result.best_label, size: [ctx.image.width, ctx.image.height] } };
  },
});

/** Detects one object at a fixed place of its model input and reports it in root pixels. */
const detector = defineAction({
  id: "detector",
  version: 1,
  title: "Detector",
  description: "",
  category: "Models",
  config: { type: "object" },
  handles: [{ id: "objects", fanOut: "objects" }],
  writes: { type: "object", properties: {} },
  async run(ctx) {
    const { transform } = await ctx.image.toTensor({
      width: 4,
      height: 4,
      resize: "stretch",
      colorOrder: "RGB",
      layout: "NCHW",
    });
    const object: DetectedObject = { name: "thing", prob: 1, bound_box: transform([0, 0, 2, 2]) };
    return { objects: [object] };
  },
});

/** Returns whatever the test puts in the config, to check the output checks. */
const echo = defineAction<{ output: Record<string, unknown> }>({
  id: "echo",
  version: 2,
  title: "Echo",
  description: "",
  category: "Test",
  config: { type: "object", required: ["output"] },
  handles: [{ id: "true" }, { id: "false" }],
  writes: { type: "object", properties: { n: { type: "number" } } },
  run: (_ctx, _scope, config) => Promise.resolve(config.output),
});

describe("runAction", () => {
  it("runs an action on an image with fake models and returns its output", async () => {
    const models = fakeModels({
      tasks: { pets: { type: "categorization", result: { best_label: cat, labels: [cat] } } },
    });
    const output = await runAction(recognition, { image, config: { task: "pets" }, models });
    expect(output).toEqual({ write: { best_label: cat, size: [20, 10] } });
    expect(models.calls).toEqual([{ kind: "predict", target: "pets", box: [0, 0, 20, 10] }]);
  });

  it("runs on an object's crop, and prediction functions see that scope", async () => {
    const object: DetectedObject = { name: "face", prob: 0.8, bound_box: [4, 2, 10, 8] };
    const models = fakeModels({
      tasks: {
        pets: ({ scope, image: crop }) => ({
          type: "categorization",
          result: { best_label: { name: `${String(scope.fields.name)}@${crop.box.join(",")}`, prob: 1 }, labels: [] },
        }),
      },
    });
    const output = await runAction(recognition, { image, object, config: { task: "pets" }, models });
    expect(output.write).toEqual({ best_label: { name: "face@4,2,10,8", prob: 1 }, size: [6, 6] });
  });

  it("maps detections on a crop back to root-image pixels", async () => {
    const output = await runAction(detector, {
      image,
      object: { name: "o", prob: 1, bound_box: [10, 2, 18, 10] },
      config: {},
    });
    // Model input 4x4 stretched over the 8x8 crop at (10, 2): model box [0,0,2,2] is crop [0,0,4,4].
    expect(output.objects?.[0]?.bound_box).toEqual([10, 2, 14, 6]);
  });

  it("accepts a real ModelHost as it is", async () => {
    const host: ModelHost = {
      predict: () => Promise.resolve({ type: "categorization", result: { best_label: cat, labels: [cat] } }),
      run: () => Promise.reject(new Error("unused")),
    };
    expect((await runAction(recognition, { image, config: { task: "x" }, models: host })).write?.best_label).toEqual(
      cat,
    );
  });

  it("rejects a config that fails the schema, naming the action and the setting", async () => {
    const run = runAction(recognition, { image, config: {} as { task: string } });
    await expect(run).rejects.toThrow(ActionContractError);
    await expect(run).rejects.toThrow('action recognition@1 (Recognition): invalid config: "task" is required');
  });

  it("rejects output outside the writes schema, unknown handles, stray objects and bad credits", async () => {
    const check = (output: Record<string, unknown>) => runAction(echo, { image, config: { output } });
    await expect(check({ write: { n: 1 }, take: ["true"], credits: 2 })).resolves.toEqual({
      write: { n: 1 },
      take: ["true"],
      credits: 2,
    });
    await expect(check({ write: { n: "one" } })).rejects.toThrow('action echo@2 (Echo): wrote "n" must be number');
    await expect(check({ take: ["maybe"] })).rejects.toThrow(
      /took handle "maybe", which it does not have \(its handles: true, false\)/,
    );
    await expect(check({ objects: [] })).rejects.toThrow(/returned objects, but has no `objects` handle/);
    await expect(check({ credits: -1 })).rejects.toThrow(/reported credits -1/);
  });

  it("checks the shape of returned objects", async () => {
    const bad = defineAction({
      ...detector,
      run: () => Promise.resolve({ objects: [{ name: "x", prob: 1, bound_box: [1, 2] as unknown as BoundingBox }] }),
    });
    await expect(runAction(bad, { image, config: {} })).rejects.toThrow(/object 0 has no "bound_box" of 4 numbers/);
  });

  it("says so when the action needs models the test did not give, or a task the fake does not know", async () => {
    await expect(runAction(recognition, { image, config: { task: "pets" } })).rejects.toThrow(
      /asked for inference, but runAction was given no models/,
    );
    await expect(
      runAction(recognition, { image, config: { task: "dogs" }, models: fakeModels({ tasks: {} }) }),
    ).rejects.toThrow('fakeModels has no prediction for task "dogs" (it knows no tasks)');
  });

  it("decodes encoded bytes with the given decoder", async () => {
    const bytes = new Uint8Array([1, 2, 3]);
    const seen: Uint8Array[] = [];
    const decode = (input: Uint8Array) => {
      seen.push(input);
      return Promise.resolve(image);
    };
    const models = fakeModels({
      tasks: { pets: { type: "categorization", result: { best_label: cat, labels: [cat] } } },
    });
    const output = await runAction(recognition, { image: bytes, decode, config: { task: "pets" }, models });
    expect(seen).toEqual([bytes]);
    expect(output.write?.size).toEqual([20, 10]);
  });
});
