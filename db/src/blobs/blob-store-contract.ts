/**
 * What every BlobStore promises, as tests each store's own test file runs (`blobStoreContract(...)`):
 * the local folder and the S3 bucket pass the same ones.
 */
import { createHash } from "node:crypto";
import { readFile } from "node:fs/promises";
import { Readable } from "node:stream";
import { describe, expect, test } from "vitest";
import { BlobIntegrityError, BlobTooLargeError, type BlobStore } from "./blob-store.js";

export const sha256 = (bytes: Uint8Array): string => createHash("sha256").update(bytes).digest("hex");

export function chunked(bytes: Uint8Array, size: number): ReadableStream<Uint8Array> {
  let offset = 0;
  return new ReadableStream({
    pull(controller) {
      if (offset >= bytes.length) return controller.close();
      controller.enqueue(bytes.subarray(offset, offset + size));
      offset += size;
    },
  });
}

export async function bytesOf(stream: ReadableStream<Uint8Array>): Promise<Uint8Array> {
  return new Uint8Array(await new Response(stream).arrayBuffer());
}

/** Bytes no other test writes (stores may outlive one test). */
function unique(length: number): Uint8Array {
  const bytes = new Uint8Array(length).map((_, i) => i % 251);
  bytes.set(createHash("sha256").update(String(Math.random())).digest().subarray(0, Math.min(32, length)));
  return bytes;
}

/**
 * `store()` gives the store under test, empty or not; it is called once per test. `presignedLinks`: whether
 * the store makes links the browser can fetch (else `presignedUrl` must answer undefined).
 */
export function blobStoreContract(
  name: string,
  store: () => BlobStore,
  options: { readonly presignedLinks: boolean },
): void {
  describe(`${name} (the BlobStore contract)`, () => {
    test("stores a web stream under its sha256 and reads the same bytes back, as a stream and by local path", async () => {
      const blobs = store();
      const bytes = unique(300_000);
      const stored = await blobs.put(chunked(bytes, 4096));
      expect(stored).toEqual({ sha256: sha256(bytes), size: bytes.length, created: true });
      expect(await blobs.stat(stored.sha256)).toEqual({ size: bytes.length });
      // Hashes compared: vitest's deep equality of 300 KB element by element takes a second.
      expect(sha256(await bytesOf(await blobs.read(stored.sha256)))).toBe(stored.sha256);
      const file = await blobs.localPath(stored.sha256);
      expect(sha256(new Uint8Array(await readFile(file ?? "")))).toBe(stored.sha256);
    });

    test("keeps one copy of the same content, from any kind of source, also when put concurrently", async () => {
      const blobs = store();
      const bytes = unique(40);
      const results = await Promise.all([
        blobs.put(bytes),
        blobs.put(Readable.from([bytes.subarray(0, 5), bytes.subarray(5)])),
        blobs.put(chunked(bytes, 3)),
      ]);
      expect(new Set(results.map((r) => r.sha256))).toEqual(new Set([sha256(bytes)]));
      expect(results.every((r) => r.size === 40)).toBe(true);
      expect(await blobs.put(bytes)).toEqual({ sha256: sha256(bytes), size: 40, created: false });
    });

    test("refuses content over the size limit and keeps nothing of it", async () => {
      const blobs = store();
      const bytes = unique(10_000);
      const error = await blobs.put(chunked(bytes, 1000), { maxBytes: 9_999 }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobTooLargeError);
      expect(error).toMatchObject({
        code: "BAD_REQUEST",
        maxBytes: 9_999,
        message: "The file is larger than the limit of 10.0 KB.",
      });
      expect(await blobs.stat(sha256(bytes))).toBeUndefined();
      await expect(blobs.put(bytes, { maxBytes: 10_000 })).resolves.toMatchObject({ size: 10_000, created: true });
    });

    test("keeps nothing when the upload stream fails or is aborted midway", async () => {
      const blobs = store();
      const first = unique(10);
      const failing = new ReadableStream<Uint8Array>({
        start(controller) {
          controller.enqueue(first);
          controller.error(new Error("connection reset"));
        },
      });
      await expect(blobs.put(failing)).rejects.toThrow("connection reset");
      const abort = new AbortController();
      abort.abort(new Error("upload cancelled"));
      await expect(blobs.put(chunked(first, 5), { signal: abort.signal })).rejects.toThrow("upload cancelled");
      expect(await blobs.stat(sha256(first))).toBeUndefined();
    });

    test("refuses content that does not hash to the expected sha256, keeping nothing", async () => {
      const blobs = store();
      const bytes = unique(64);
      const claimed = sha256(new TextEncoder().encode("something else"));
      const error = await blobs.put(bytes, { expectedSha256: claimed }).catch((e: unknown) => e);
      expect(error).toBeInstanceOf(BlobIntegrityError);
      expect(error).toMatchObject({ expected: claimed, actual: sha256(bytes) });
      expect(await blobs.stat(sha256(bytes))).toBeUndefined();
      expect(await blobs.stat(claimed)).toBeUndefined();
      await expect(blobs.put(bytes, { expectedSha256: sha256(bytes) })).resolves.toMatchObject({ created: true });
    });

    test("reports an absent blob and refuses a name that is not a sha256", async () => {
      const blobs = store();
      const absent = "0".repeat(64);
      expect(await blobs.stat(absent)).toBeUndefined();
      expect(await blobs.localPath(absent)).toBeUndefined();
      await expect(blobs.read(absent)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await expect(blobs.localPath("../../etc/passwd")).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(blobs.stat("../x")).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(blobs.delete("A".repeat(64))).rejects.toMatchObject({ code: "BAD_REQUEST" });
      await expect(blobs.presignedUrl("nope")).rejects.toMatchObject({ code: "BAD_REQUEST" });
    });

    test("deletes a blob (and deleting it again is no error)", async () => {
      const blobs = store();
      const stored = await blobs.put(unique(3));
      await blobs.delete(stored.sha256);
      expect(await blobs.stat(stored.sha256)).toBeUndefined();
      expect(await blobs.localPath(stored.sha256)).toBeUndefined();
      await expect(blobs.read(stored.sha256)).rejects.toMatchObject({ code: "NOT_FOUND" });
      await blobs.delete(stored.sha256);
    });

    test("lists the blobs it holds with their size and when they were stored; a deleted one is gone from the list", async () => {
      const blobs = store();
      const before = Date.now() - 5_000;
      const kept = await blobs.put(unique(70));
      const gone = await blobs.put(unique(71));
      await blobs.delete(gone.sha256);
      const listed = new Map<string, { size: number; storedAt: Date }>();
      for await (const blob of blobs.list()) listed.set(blob.sha256, blob);
      expect(listed.get(kept.sha256)?.size).toBe(70);
      expect(listed.get(kept.sha256)?.storedAt.getTime()).toBeGreaterThan(before);
      expect(listed.get(kept.sha256)?.storedAt.getTime()).toBeLessThan(Date.now() + 5_000);
      expect(listed.has(gone.sha256)).toBe(false);
    });

    test.runIf(!options.presignedLinks)("makes no presigned links (the app serves these bytes itself)", async () => {
      const blobs = store();
      const stored = await blobs.put(unique(5));
      expect(await blobs.presignedUrl(stored.sha256)).toBeUndefined();
    });

    test.runIf(options.presignedLinks)(
      "a presigned link serves the blob's bytes with the content type asked for",
      async () => {
        const blobs = store();
        const bytes = unique(500);
        const stored = await blobs.put(bytes);
        const link = await blobs.presignedUrl(stored.sha256, { contentType: "image/png" });
        expect(link).toMatch(/^https?:\/\//);
        const response = await fetch(link ?? "");
        expect(response.status).toBe(200);
        expect(response.headers.get("content-type")).toBe("image/png");
        expect(new Uint8Array(await response.arrayBuffer())).toEqual(bytes);
      },
    );
  });
}
