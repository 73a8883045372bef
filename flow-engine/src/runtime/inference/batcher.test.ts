import { describe, expect, it } from "vitest";
import type { Tensor } from "@vizflow/sdk";
import { DynamicBatcher } from "./batcher.js";

const input = (value: number) => ({ data: Float32Array.of(value, value), dims: [1, 2] });

/** A fake model: doubles its input; records batch sizes; resolves when `release` is called (or at once). */
function fakeModel(options: { manual?: boolean } = {}) {
  const sizes: number[] = [];
  const waiting: (() => void)[] = [];
  const run = (batch: Tensor & { data: Float32Array }) => {
    sizes.push(batch.dims[0] as number);
    const outputs = { y: { data: batch.data.map((v) => v * 2), dims: batch.dims } };
    if (!options.manual) return Promise.resolve(outputs);
    return new Promise<Record<string, Tensor>>((resolve) => waiting.push(() => resolve(outputs)));
  };
  return { run, sizes, releaseOne: () => waiting.shift()?.() };
}

const values = (outputs: Record<string, Tensor>) => Array.from(outputs["y"]?.data as Float32Array);

describe("DynamicBatcher", () => {
  it("sends inputs submitted in one turn as one batch and gives each caller its own outputs", async () => {
    const batcher = new DynamicBatcher({ maxBatch: 16, concurrency: () => 2 });
    const model = fakeModel();
    const results = await Promise.all([1, 2, 3].map((v) => batcher.submit("m", input(v), model.run)));
    expect(model.sizes).toEqual([3]);
    expect(results.map(values)).toEqual([
      [2, 2],
      [4, 4],
      [6, 6],
    ]);
    expect(results[0]?.["y"]?.dims).toEqual([1, 2]);
  });

  it("splits at maxBatch", async () => {
    const batcher = new DynamicBatcher({ maxBatch: 2, concurrency: () => 4 });
    const model = fakeModel();
    await Promise.all([1, 2, 3, 4, 5].map((v) => batcher.submit("m", input(v), model.run)));
    expect(model.sizes).toEqual([2, 2, 1]);
  });

  it("lets inputs queue while the model is busy and sends them together when a run ends", async () => {
    const batcher = new DynamicBatcher({ maxBatch: 16, concurrency: () => 1 });
    const model = fakeModel({ manual: true });
    const first = batcher.submit("m", input(1), model.run);
    await new Promise((resolve) => setImmediate(resolve));
    expect(model.sizes).toEqual([1]);
    const later = [2, 3, 4].map((v) => batcher.submit("m", input(v), model.run));
    await new Promise((resolve) => setImmediate(resolve));
    expect(model.sizes).toEqual([1]); // still busy: the three wait
    model.releaseOne();
    expect(values(await first)).toEqual([2, 2]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(model.sizes).toEqual([1, 3]);
    model.releaseOne();
    expect((await Promise.all(later)).map(values)).toEqual([
      [4, 4],
      [6, 6],
      [8, 8],
    ]);
  });

  it("rejects every input of a batch whose run fails", async () => {
    const batcher = new DynamicBatcher({ maxBatch: 16, concurrency: () => 1 });
    const failing = () => Promise.reject(new Error("boom"));
    const results = await Promise.allSettled([1, 2].map((v) => batcher.submit("m", input(v), failing)));
    expect(results.map((r) => r.status)).toEqual(["rejected", "rejected"]);
  });

  it("rejects when the outputs have no batch axis to split", async () => {
    const batcher = new DynamicBatcher({ maxBatch: 16, concurrency: () => 1 });
    const flat = () => Promise.resolve({ y: { data: Float32Array.of(1), dims: [1] } });
    const results = await Promise.allSettled([1, 2].map((v) => batcher.submit("m", input(v), flat)));
    expect(results[0]).toMatchObject({
      status: "rejected",
      reason: { message: expect.stringMatching(/a batch of 2 needs 2 on axis 0/) },
    });
  });
});
