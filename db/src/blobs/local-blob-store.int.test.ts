import { createHash } from "node:crypto";
import { mkdtemp, readdir, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { Readable } from "node:stream";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { BlobTooLargeError } from "./blob-store.js";
import { LocalBlobStore } from "./local-blob-store.js";

let directory: string;
let store: LocalBlobStore;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "vizflow-blobs-"));
  store = new LocalBlobStore(directory);
});
afterEach(() => rm(directory, { recursive: true, force: true }));

const sha256 = (bytes: Uint8Array) => createHash("sha256").update(bytes).digest("hex");

function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

/** Every file under the store, relative, sorted (temp files included). */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

describe("LocalBlobStore", () => {
  test("stores a web stream under its sha256 and reads the same bytes back", async () => {
    const bytes = new Uint8Array(100_000).map((_, i) => i % 251);
    const stored = await store.put(chunked(bytes, 4096));
    expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length, created: true });

    const file = await store.localPath(stored.sha256);
    expect(file).toBe(path.join(directory, stored.sha256.slice(0, 2), stored.sha256));
    expect(new Uint8Array(await readFile(file ?? ""))).toEqual(bytes);
    const read = new Uint8Array(await new Response(await store.read(stored.sha256)).arrayBuffer());
    expect(read).toEqual(bytes);
    expect(await store.stat(stored.sha256)).toEqual({ size: bytes.length });
  });

  test("keeps one copy of the same content, from any kind of source, also when put concurrently", async () => {
    const bytes = new TextEncoder().encode("the same model file");
    const results = await Promise.all([
      store.put(bytes),
      store.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)])),
      store.put(chunked(bytes, 3)),
    ]);
    expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha256(bytes)]));
    const again = await store.put(bytes);
    expect(again.created).toBe(false);
    expect(await filesIn(directory)).toEqual([path.join(sha256(bytes).slice(0, 2), sha256(bytes))]);
  });

  test("refuses content over the size limit and keeps nothing of it", async () => {
    const bytes = new Uint8Array(10_000);
    const error = await store.put(chunked(bytes, 1000), { maxBytes: 9_999 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobTooLargeError);
    expect(error).toMatchObject({
      code: "BAD_REQUEST",
      maxBytes: 9_999,
      message: "The file is larger than the limit of 10.0 KB.",
    });
    expect(await filesIn(directory)).toEqual([]);
    await expect(store.put(bytes, { maxBytes: 10_000 })).resolves.toMatchObject({ size: 10_000 });
  });

  test("keeps nothing when the upload stream fails or is aborted midway", async () => {
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(new Error("connection reset"));
      },
    });
    await expect(store.put(failing)).rejects.toThrow("connection reset");
    const abort = new AbortController();
    abort.abort(new Error("upload cancelled"));
    await expect(store.put(chunked(new Uint8Array(10), 5), { signal: abort.signal })).rejects.toThrow(
      "upload cancelled",
    );
    expect(await filesIn(directory)).toEqual([]);
  });

  test("reports an absent blob and refuses a name that is not a sha256", async () => {
    const absent = "0".repeat(64);
    expect(await store.stat(absent)).toBeUndefined();
    expect(await store.localPath(absent)).toBeUndefined();
    await expect(store.read(absent)).rejects.toMatchObject({ code: "NOT_FOUND" });
    await expect(store.localPath("../../etc/passwd")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    await expect(store.delete("A".repeat(64))).rejects.toMatchObject({ code: "BAD_REQUEST" });
  });

  test("deletes a blob", async () => {
    const stored = await store.put(new Uint8Array([1, 2, 3]));
    await store.delete(stored.sha256);
    expect(await store.stat(stored.sha256)).toBeUndefined();
    await store.delete(stored.sha256);
  });
});
