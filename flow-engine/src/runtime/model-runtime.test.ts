import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { paint, solid } from "../testing/images.js";
import { colourClassifierModel, fixedSsdModel, meanRegressionModel } from "../testing/tiny-models.js";
import type { ModelAdapter } from "./adapter.js";
import { ModelError } from "./errors.js";
import { DecodedScopeImage } from "./image/scope-image.js";
import { InferencePool } from "./inference/inference-pool.js";
import { InMemoryModelStore, type ModelVersionRecord } from "./model-store.js";
import { ModelRuntime } from "./model-runtime.js";

const classifierAdapter: ModelAdapter = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
};

function version(id: string, bytes: Uint8Array, overrides: Partial<ModelVersionRecord> = {}): ModelVersionRecord {
  return {
    id,
    taskType: "categorization",
    labels: ["red", "green", "blue"],
    adapter: classifierAdapter,
    file: { bytes },
    ...overrides,
  };
}

const store = new InMemoryModelStore([
  version("colour", colourClassifierModel()),
  version("colour-batch", colourClassifierModel({ dynamicBatch: true })),
  version("colour-other", colourClassifierModel({ dynamicBatch: true })),
  version("faces", fixedSsdModel([[0.1, 0.9]], [[0.25, 0.25, 0.75, 0.75]], { dynamicBatch: true }), {
    taskType: "detection",
    labels: ["face"],
    adapter: { ...classifierAdapter, decoder: { id: "ssd", params: { threshold: 0.5 } } },
  }),
  version("brightness", meanRegressionModel({ nhwc: true }), {
    taskType: "regression",
    labels: [],
    adapter: { ...classifierAdapter, layout: "NHWC", scale: 1, decoder: { id: "identity" } },
  }),
  version("wrong-input", colourClassifierModel(), { adapter: { ...classifierAdapter, input: "pixels" } }),
  version("wrong-decoder", colourClassifierModel(), { adapter: { ...classifierAdapter, decoder: { id: "yolox" } } }),
  version("not-onnx", new TextEncoder().encode("definitely not a protobuf")),
]);

// One pool of 2 workers shared by the file: starting workers is the slow part.
const pool = new InferencePool({ size: 2 });
afterAll(() => pool.close());

const runtimes: ModelRuntime[] = [];
function runtime(options: { cacheSize?: number } = {}): ModelRuntime {
  const r = new ModelRuntime({ store, pool, ...options });
  runtimes.push(r);
  return r;
}
afterEach(async () => {
  await Promise.all(runtimes.splice(0).map((r) => r.close()));
});

const stripes = DecodedScopeImage.fromDecoded(
  paint(30, 10, (x) => (x < 10 ? [255, 0, 0] : x < 20 ? [0, 255, 0] : [0, 0, 255])),
);
const stripeCrops = [0, 10, 20].map((x) => stripes.crop([x, 0, x + 10, 10]));

function bestLabels(predictions: readonly { type: string; result: unknown }[]): string[] {
  return predictions.map((p) =>
    p.type === "categorization" ? (p.result as { best_label: { name: string } }).best_label.name : "?",
  );
}

async function modelError(promise: Promise<unknown>): Promise<ModelError> {
  const err = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(ModelError);
  return err as ModelError;
}

describe("ModelRuntime", () => {
  it("predicts the label of the image's colour in a worker thread", async () => {
    const r = runtime();
    const images = (
      [
        [250, 10, 10],
        [10, 250, 10],
        [10, 10, 250],
      ] as const
    ).map((c) => DecodedScopeImage.fromDecoded(solid(16, 16, c)));
    const predictions = await Promise.all(images.map((image) => r.predict("colour", image)));
    expect(bestLabels(predictions)).toEqual(["red", "green", "blue"]);
    expect(predictions[0]).toMatchObject({ type: "categorization", result: { labels: [{ name: "red" }, {}, {}] } });
  });

  it("loads a model version once however many requests ask at the same moment", async () => {
    const r = runtime();
    const before = pool.stats().loads;
    await Promise.all(Array.from({ length: 6 }, () => r.predict("colour-other", stripeCrops[0] as DecodedScopeImage)));
    expect(pool.stats().loads - before).toBe(pool.size); // once per worker
    expect(r.loadedKeys()).toEqual(["version:colour-other"]);
  });

  it("releases the least recently used model version beyond the cache size", async () => {
    const r = runtime({ cacheSize: 1 });
    const releases = pool.stats().releases;
    await r.predict("colour", stripes);
    await r.predict("colour-batch", stripes);
    expect(r.loadedKeys()).toEqual(["version:colour-batch"]);
    await expect.poll(() => pool.stats().releases - releases).toBe(pool.size);
    expect(pool.loadedKeys()).not.toContain("version:colour");
    expect(bestLabels([await r.predict("colour", stripeCrops[2] as DecodedScopeImage)])).toEqual(["blue"]);
  });

  it("runs all crops of a record in one batch when the model has a dynamic batch axis", async () => {
    const r = runtime();
    await r.warm(["colour-batch", "colour"]);
    let runs = pool.stats().runs;
    expect(bestLabels(await r.predictMany("colour-batch", stripeCrops))).toEqual(["red", "green", "blue"]);
    expect(pool.stats().runs - runs).toBe(1);
    runs = pool.stats().runs;
    expect(bestLabels(await r.predictMany("colour", stripeCrops))).toEqual(["red", "green", "blue"]);
    expect(pool.stats().runs - runs).toBe(3); // fixed batch of 1: one run per crop
    expect((await r.model("colour-batch")).dynamicBatch).toBe(true);
    expect((await r.model("colour")).dynamicBatch).toBe(false);
  });

  it("gives each concurrent caller its own prediction when their crops share runs", async () => {
    const r = runtime();
    const crops = [...stripeCrops, ...stripeCrops].reverse();
    const predictions = await Promise.all(crops.map((crop) => r.predict("colour-batch", crop)));
    expect(bestLabels(predictions)).toEqual(["blue", "green", "red", "blue", "green", "red"]);
  });

  it("returns detections on a crop of a crop in root-image pixels", async () => {
    const r = runtime();
    const record = DecodedScopeImage.fromDecoded(solid(100, 80, [0, 0, 0]));
    const inner = record.crop([20, 10, 80, 70]).cropLocal([5, 6, 25, 26]); // root [25, 16, 45, 36]
    const prediction = await r.predict("faces", inner);
    expect(prediction).toEqual({
      type: "detection",
      result: [{ name: "face", prob: expect.closeTo(0.9, 6), bound_box: [30, 21, 40, 31] }],
    });
  });

  it("feeds NHWC inputs", async () => {
    const r = runtime();
    const prediction = await r.predict("brightness", DecodedScopeImage.fromDecoded(solid(4, 4, [100, 50, 0])));
    expect(prediction).toEqual({ type: "regression", result: expect.closeTo(50, 4) });
  });

  it("says which model version is missing", async () => {
    const err = await modelError(runtime().predict("nope", stripes));
    expect(err).toMatchObject({ code: "model_not_found", status: 500, modelVersionId: "nope" });
    expect(err.message).toBe("model version nope does not exist");
  });

  it("refuses an adapter whose input the model does not have, naming the model's inputs", async () => {
    const err = await modelError(runtime().predict("wrong-input", stripes));
    expect(err).toMatchObject({ code: "adapter_mismatch", status: 422 });
    expect(err.message).toMatch(/no input "pixels" \(inputs: input\)/);
    expect(pool.loadedKeys()).not.toContain("version:wrong-input");
  });

  it("refuses an adapter whose decoder does not fit the task type", async () => {
    const err = await modelError(runtime().predict("wrong-decoder", stripes));
    expect(err).toMatchObject({ code: "invalid_adapter", status: 422 });
    expect(err.message).toMatch(/decodes detection results, not categorization/);
  });

  it("reports a file onnxruntime cannot load, and tries again on the next request", async () => {
    const r = runtime();
    const loads = pool.stats().loads;
    const err = await modelError(r.predict("not-onnx", stripes));
    expect(err).toMatchObject({ code: "model_load_failed", modelVersionId: "not-onnx" });
    expect(err.message).toMatch(/model version not-onnx cannot be loaded: /);
    await modelError(r.predict("not-onnx", stripes));
    expect(pool.stats().loads - loads).toBe(2 * pool.size);
  });

  it("builds a ModelHost that resolves tasks and runs plugins' model files with raw tensors", async () => {
    const r = runtime();
    const dir = mkdtempSync(join(tmpdir(), "vizflow-runtime-"));
    const path = join(dir, "colour.onnx");
    writeFileSync(path, colourClassifierModel());
    const host = r.host(stripeCrops[1] as DecodedScopeImage, (taskId) =>
      taskId === "task-colour" ? "colour" : "missing",
    );
    expect(bestLabels([await host.predict("task-colour")])).toEqual(["green"]);

    const data = new Float32Array(3 * 64).fill(0.5, 128);
    const outputs = await host.run({ path }, { input: { data, dims: [1, 3, 8, 8] } });
    expect(Array.from(outputs["logits"]?.data as Float32Array)).toEqual([0, 0, 5]);
    expect(data.length).toBe(192); // the caller's buffer is copied, not taken
  });
});
