import { mkdir, mkdtemp, readdir, rm, utimes, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterEach, beforeEach, describe, expect, test } from "vitest";
import { blobStoreContract, chunked, sha256 } from "./blob-store-contract.js";
import { LocalBlobStore } from "./local-blob-store.js";

let directory: string;
let store: LocalBlobStore;
beforeEach(async () => {
  directory = await mkdtemp(path.join(tmpdir(), "vizflow-blobs-"));
  store = new LocalBlobStore(directory);
});
afterEach(() => rm(directory, { recursive: true, force: true }));

/** Every file under the store, relative, sorted (temp files included). */
async function filesIn(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((e) => e.isFile())
    .map((e) => path.relative(dir, path.join(e.parentPath, e.name)))
    .sort();
}

blobStoreContract("LocalBlobStore", () => store, { presignedLinks: false });

describe("LocalBlobStore", () => {
  test("keeps a blob as <directory>/<first two hex digits>/<sha256>, one file for the same content", async () => {
    const bytes = new TextEncoder().encode("the same model file");
    const stored = await store.put(chunked(bytes, 3));
    await store.put(bytes);
    expect(await store.localPath(stored.sha256)).toBe(path.join(directory, stored.sha256.slice(0, 2), stored.sha256));
    expect(await filesIn(directory)).toEqual([path.join(sha256(bytes).slice(0, 2), sha256(bytes))]);
  });

  test("leaves no temp file behind a refused, failed or aborted put", async () => {
    await store.put(chunked(new Uint8Array(10_000), 1000), { maxBytes: 9_999 }).catch(() => undefined);
    await store.put(new Uint8Array(8), { expectedSha256: "0".repeat(64) }).catch(() => undefined);
    const failing = new ReadableStream<Uint8Array>({
      start(controller) {
        controller.enqueue(new Uint8Array(10));
        controller.error(new Error("connection reset"));
      },
    });
    await store.put(failing).catch(() => undefined);
    expect(await filesIn(directory)).toEqual([]);
  });

  test("removes the temp files of puts interrupted before the given time, and nothing else", async () => {
    const stored = await store.put(new TextEncoder().encode("a finished put"));
    // What a process killed mid-put leaves: a temp file, here written an hour ago, and one still being written.
    await mkdir(path.join(directory, "tmp"), { recursive: true });
    const old = path.join(directory, "tmp", "1-killed");
    await writeFile(old, "half of a payload");
    const hourAgo = new Date(Date.now() - 3_600_000);
    await utimes(old, hourAgo, hourAgo);
    await writeFile(path.join(directory, "tmp", "2-running"), "a put in progress");
    expect(await store.removePartialWrites(new Date(Date.now() - 60_000))).toBe(1);
    expect(await filesIn(directory)).toEqual(
      [path.join(stored.sha256.slice(0, 2), stored.sha256), path.join("tmp", "2-running")].sort(),
    );
  });
});
