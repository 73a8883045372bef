import { describe, expect, it } from "vitest";
import { SessionCache } from "./session-cache.js";

function counting(capacity: number) {
  const created: string[] = [];
  const disposed: string[] = [];
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => (release = resolve));
  const cache = new SessionCache<string>({
    capacity,
    create: async (key) => {
      created.push(key);
      await gate;
      if (key.startsWith("bad")) throw new Error(`cannot create ${key}`);
      return `session of ${key}`;
    },
    dispose: (key) => {
      disposed.push(key);
    },
  });
  return { cache, created, disposed, open: () => release() };
}

describe("SessionCache", () => {
  it("creates a value once however many callers ask at the same moment", async () => {
    const { cache, created, open } = counting(4);
    const leases = Array.from({ length: 10 }, () => cache.acquire("a"));
    open();
    const values = await Promise.all(leases);
    expect(created).toEqual(["a"]);
    expect(new Set(values.map((l) => l.value))).toEqual(new Set(["session of a"]));
  });

  it("evicts and disposes the least recently used beyond capacity", async () => {
    const { cache, disposed, open } = counting(2);
    open();
    await cache.use("a", () => Promise.resolve());
    await cache.use("b", () => Promise.resolve());
    await cache.use("a", () => Promise.resolve()); // a is now more recent than b
    await cache.use("c", () => Promise.resolve());
    expect(disposed).toEqual(["b"]);
    expect(cache.keys()).toEqual(["a", "c"]);
  });

  it("never evicts a value in use; it goes once released", async () => {
    const { cache, disposed, open } = counting(1);
    open();
    const held = await cache.acquire("a");
    await cache.use("b", () => Promise.resolve());
    expect(disposed).toEqual(["b"]); // a is in use, so b (idle, least recent after a) goes
    expect(cache.keys()).toEqual(["a"]);
    await cache.use("c", () => Promise.resolve());
    expect(cache.keys()).toEqual(["a"]);
    held.release();
    expect(cache.has("a")).toBe(true); // still within capacity on its own
    await cache.use("d", () => Promise.resolve());
    expect(disposed).toEqual(["b", "c", "a"]);
  });

  it("does not cache a failed creation, so the next caller retries", async () => {
    const { cache, created, open } = counting(2);
    open();
    await expect(cache.acquire("bad")).rejects.toThrow("cannot create bad");
    expect(cache.has("bad")).toBe(false);
    await expect(cache.acquire("bad")).rejects.toThrow("cannot create bad");
    expect(created).toEqual(["bad", "bad"]);
  });

  it("evicts on request only when idle", async () => {
    const { cache, disposed, open } = counting(2);
    open();
    const held = await cache.acquire("a");
    expect(await cache.evict("a")).toBe(false);
    held.release();
    expect(await cache.evict("a")).toBe(true);
    expect(disposed).toEqual(["a"]);
  });
});
