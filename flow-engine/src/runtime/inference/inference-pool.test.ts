import { afterAll, describe, expect, it } from "vitest";
import { colourClassifierModel } from "../../testing/tiny-models.js";
import { ModelError } from "../errors.js";
import { InferencePool } from "./inference-pool.js";

const pool = new InferencePool({ size: 2 });
afterAll(() => pool.close());

const redImage = () => {
  const data = new Float32Array(3 * 64);
  data.fill(1, 0, 64);
  return { data, dims: [1, 3, 8, 8] };
};

describe("InferencePool", () => {
  it("loads a model into every worker and reports its inputs and outputs with dynamic axes", async () => {
    const loads = pool.stats().loads;
    const info = await pool.load("dyn", { bytes: colourClassifierModel({ dynamicBatch: true }) });
    expect(pool.stats().loads - loads).toBe(2);
    expect(info.inputs).toEqual([{ name: "input", type: "float32", shape: ["batch", 3, 8, 8] }]);
    expect(info.outputs).toEqual([{ name: "logits", type: "float32", shape: ["batch", 3] }]);
    expect(info.createMs).toBeGreaterThan(0);
  });

  it("runs in a worker, taking the feed buffers and handing the outputs back", async () => {
    await pool.load("fixed", { bytes: colourClassifierModel() });
    const feed = redImage();
    const { outputs } = await pool.run("fixed", { input: feed });
    expect(outputs["logits"]?.dims).toEqual([1, 3]);
    expect(Array.from(outputs["logits"]?.data as Float32Array)).toEqual([10, 0, 0]);
    expect(feed.data.byteLength).toBe(0); // transferred, not copied

    const kept = redImage();
    await pool.run("fixed", { input: kept }, { copy: true });
    expect(kept.data.byteLength).toBe(3 * 64 * 4);
  });

  it("rejects a run onnxruntime refuses, and the worker keeps working", async () => {
    await pool.load("fixed", { bytes: colourClassifierModel() });
    await expect(pool.run("fixed", { input: { data: new Float32Array(3), dims: [1, 3, 1, 1] } })).rejects.toThrow(
      /dimension|shape|Got invalid/i,
    );
    const { outputs } = await pool.run("fixed", { input: redImage() });
    expect(outputs["logits"]?.data[0]).toBe(10);
  });

  it("refuses to run a model after it was released", async () => {
    await pool.load("gone", { bytes: colourClassifierModel() });
    await pool.release("gone");
    expect(pool.loadedKeys()).not.toContain("gone");
    const err: unknown = await pool.run("gone", { input: redImage() }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ModelError);
    expect((err as ModelError).message).toBe("model gone is not loaded");
  });

  it("fails work sent after close with runtime_closed", async () => {
    const own = new InferencePool({ size: 1 });
    await own.load("m", { bytes: colourClassifierModel() });
    await own.close();
    await expect(own.run("m", { input: redImage() })).rejects.toMatchObject({ code: "runtime_closed" });
  });
});
