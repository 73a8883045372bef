import { describe, expect, it } from "vitest";
import { PixelBudget, PixelBudgetBusyError, RequestPixelsError } from "./pixel-budget.js";

const budget = (capacity = 100, maxWaitMs = 1000, maxWaiting = 10) =>
  new PixelBudget({ capacity, maxWaitMs, maxWaiting });

/** Resolves to "pending" when the promise has not settled by the next macrotask. */
async function state(promise: Promise<unknown>): Promise<"pending" | "settled"> {
  return Promise.race([
    promise.then(() => "settled" as const),
    new Promise<"pending">((r) => setTimeout(() => r("pending"), 5)),
  ]);
}

describe("the decoded-pixel budget", () => {
  it("takes pixels and gives them back once, however often release is called", async () => {
    const b = budget();
    const first = await b.acquire(60);
    const second = await b.acquire(40);
    expect(b.used).toBe(100);
    first();
    first();
    expect(b.used).toBe(40);
    second();
    expect(b.used).toBe(0);
  });

  it("makes a request past the budget wait until enough is released, in arrival order", async () => {
    const b = budget();
    const held = await b.acquire(90);
    const order: string[] = [];
    const big = b.acquire(50).then((release) => (order.push("big"), release));
    // Small enough to fit now, but it arrived after a waiting request: it queues behind it.
    const small = b.acquire(10).then((release) => (order.push("small"), release));
    expect(await state(big)).toBe("pending");
    expect(await state(small)).toBe("pending");
    expect(b.waiting).toBe(2);
    held();
    (await big)();
    (await small)();
    expect(order).toEqual(["big", "small"]);
    expect(b.used).toBe(0);
  });

  it("refuses with a 503 and a Retry-After once the wait passes its limit, and leaves the queue", async () => {
    const b = budget(100, 30);
    const held = await b.acquire(100);
    const started = performance.now();
    const error = await b.acquire(1).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(PixelBudgetBusyError);
    expect((error as PixelBudgetBusyError).status).toBe(503);
    expect((error as PixelBudgetBusyError).retryAfterSeconds).toBe(1);
    expect((error as Error).message).toMatch(/no room to decode .* within 30 ms/);
    expect(performance.now() - started).toBeGreaterThanOrEqual(25);
    expect(b.waiting).toBe(0);
    held();
    expect(b.used).toBe(0);
  });

  it("refuses at once when the queue is full", async () => {
    const b = budget(100, 1000, 1);
    const held = await b.acquire(100);
    const waiting = b.acquire(10);
    await expect(b.acquire(10)).rejects.toThrow(/1 requests already wait/);
    held();
    (await waiting)();
  });

  it("leaves the queue when the request is aborted, and those behind it move up", async () => {
    const b = budget();
    const held = await b.acquire(60);
    const controller = new AbortController();
    const aborted = b.acquire(80, controller.signal);
    const behind = b.acquire(40);
    controller.abort(new Error("client went away"));
    await expect(aborted).rejects.toThrow("client went away");
    // With the 80 gone from the head, the 40 fits beside the 60 held.
    (await behind)();
    held();
    expect(b.used).toBe(0);
  });

  it("gives the pixels back when the work holding them throws", async () => {
    const b = budget();
    const work = async () => {
      const release = await b.acquire(70);
      try {
        throw new Error("decode failed");
      } finally {
        release();
      }
    };
    await expect(work()).rejects.toThrow("decode failed");
    expect(b.used).toBe(0);
    (await b.acquire(100))();
  });

  it("counts a request bigger than the whole budget as the whole budget (the per-request limit refuses those)", async () => {
    const b = budget();
    const release = await b.acquire(500);
    expect(b.used).toBe(100);
    release();
  });

  it("waits without a limit for queued jobs", async () => {
    const b = budget(100, 10, 0);
    const held = await b.acquire(100);
    const job = b.acquire(50, undefined, { untilRoom: true });
    await new Promise((r) => setTimeout(r, 30));
    expect(await state(job)).toBe("pending");
    held();
    (await job)();
  });

  it("names the request's total and the limit when a request decodes to too many pixels", () => {
    const error = new RequestPixelsError(490_000_000, 128_000_000);
    expect(error.status).toBe(413);
    expect(error.message).toContain("490.0 megapixels in all");
    expect(error.message).toContain("limit of 128.0 megapixels per request");
  });
});
