import { afterAll, describe, expect, it } from "vitest";
import { colourClassifierModel, fixedOutputModel } from "../testing/tiny-models.js";
import type { ModelAdapter } from "./adapter.js";
import { InferencePool } from "./inference/inference-pool.js";
import { checkModelVersion } from "./model-check.js";
import { InMemoryModelStore } from "./model-store.js";
import { ModelRuntime } from "./model-runtime.js";

const pool = new InferencePool({ size: 1 });
const runtime = new ModelRuntime({ store: new InMemoryModelStore(), pool });
afterAll(async () => {
  await runtime.close();
  await pool.close();
});

const adapter: ModelAdapter = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
};
const candidate = {
  taskType: "categorization" as const,
  labels: ["red", "green", "blue"],
  adapter,
  file: { bytes: colourClassifierModel() },
};

describe("checkModelVersion", () => {
  it("loads, runs and decodes a model that fits its adapter, and releases it", async () => {
    const result = await checkModelVersion(runtime, candidate);
    expect(result).toMatchObject({ ok: true, prediction: { type: "categorization" } });
    expect(result.ok && result.info.inputs[0]?.name).toBe("input");
    expect(pool.loadedKeys()).toEqual([]);
  });

  it("reports adapter problems with their paths before loading anything", async () => {
    const result = await checkModelVersion(runtime, { ...candidate, adapter: { ...adapter, width: -1 } });
    expect(result).toEqual({
      ok: false,
      problems: [{ code: "invalid_adapter", path: "/width", message: "adapter/width: must be >= 1" }],
    });
  });

  it("reports a file onnxruntime cannot load", async () => {
    const result = await checkModelVersion(runtime, { ...candidate, file: { bytes: new Uint8Array([1, 2, 3]) } });
    expect(result.ok ? [] : result.problems.map((p) => p.code)).toEqual(["model_load_failed"]);
  });

  it("reports inputs and sizes that do not fit the adapter", async () => {
    const result = await checkModelVersion(runtime, {
      ...candidate,
      adapter: { ...adapter, input: "image", width: 16 },
    });
    expect(result.ok ? [] : result.problems.map((p) => p.message)).toEqual([
      'the model has no input "image" (inputs: input)',
    ]);
    const sized = await checkModelVersion(runtime, { ...candidate, adapter: { ...adapter, width: 16 } });
    expect(sized.ok ? [] : sized.problems.map((p) => p.message)).toEqual([
      'input "input" width is 8, the adapter gives 16 (NCHW)',
    ]);
  });

  it("reports a label count that differs from the model's classes", async () => {
    const result = await checkModelVersion(runtime, { ...candidate, labels: ["red", "green"] });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.objectContaining({
        code: "adapter_mismatch",
        path: "/labels",
        message: expect.stringMatching(/outputs 3 classes but there are 2 labels/),
      }),
    ]);
  });

  it("reports outputs the decoder cannot read", async () => {
    const model = fixedOutputModel(
      { dims: [1, 5, 7], values: new Array<number>(35).fill(0) },
      { width: 8, height: 8, inputName: "input" },
    );
    const result = await checkModelVersion(runtime, {
      taskType: "detection",
      labels: ["a", "b"],
      adapter: { ...adapter, decoder: { id: "yolox" } },
      file: { bytes: model },
    });
    expect(result.ok ? [] : result.problems).toEqual([
      expect.objectContaining({
        code: "decode_failed",
        message: expect.stringMatching(/5 rows, the grid of a 8x8 input has 1/),
      }),
    ]);
  });
});
