/**
 * The S3 store against an S3-compatible server on 127.0.0.1 (s3rver): the BlobStore contract the local
 * folder passes, plus what only a shared bucket has: a host with an empty cache reads what another put,
 * tampered objects are refused, presigned links expire.
 */
import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { BlobIntegrityError } from "./blob-store.js";
import { blobStoreContract, bytesOf, chunked, sha256 } from "./blob-store-contract.js";
import { blobStorageFromEnv, openBlobStore } from "./blob-storage.js";
import { S3BlobStore } from "./s3-blob-store.js";
import { startS3TestServer, type S3TestServer } from "./s3-test-server.js";

let server: S3TestServer;
let caches: string;
let hosts = 0;

beforeAll(async () => {
  server = await startS3TestServer();
  caches = await mkdtemp(path.join(tmpdir(), "vizflow-s3-caches-"));
});
afterAll(async () => {
  await server?.close();
  if (caches) await rm(caches, { recursive: true, force: true });
});

/** The store as a new host sees it: the same bucket, an empty cache of its own. */
function host(kind: "models" | "test-images" = "models"): { store: S3BlobStore; cache: string } {
  const cache = path.join(caches, `host-${++hosts}`);
  const store = openBlobStore(server.storage(cache), kind);
  if (!(store instanceof S3BlobStore)) throw new Error("expected an S3 store");
  return { store, cache };
}

async function filesIn(dir: string): Promise<string[]> {
  try {
    const entries = await readdir(dir, { recursive: true, withFileTypes: true });
    return entries.filter((e) => e.isFile()).map((e) => path.relative(dir, path.join(e.parentPath, e.name)));
  } catch {
    return [];
  }
}

blobStoreContract("S3BlobStore", () => host().store, { presignedLinks: true });

describe("S3BlobStore", () => {
  test("stores a blob as the object <kind>/<sha256>; another host with an empty cache reads and caches it", async () => {
    const writer = host();
    const bytes = new Uint8Array(2_000_000).map((_, i) => (i * 7) % 256);
    const stored = await writer.store.put(chunked(bytes, 64 * 1024));
    expect(writer.store.keyOf(stored.sha256)).toBe(`models/${stored.sha256}`);
    // (Hashes compared, not 2 MB element by element: vitest's deep equality takes seconds.)
    expect(sha256((await server.object(`models/${stored.sha256}`)) ?? new Uint8Array())).toBe(stored.sha256);
    expect(await server.keys("models/")).toContain(`models/${stored.sha256}`);

    const reader = host();
    expect(await filesIn(reader.cache)).toEqual([]);
    expect(sha256(await bytesOf(await reader.store.read(stored.sha256)))).toBe(sha256(bytes));
    const [first, second] = await Promise.all([
      reader.store.localPath(stored.sha256),
      reader.store.localPath(stored.sha256),
    ]);
    expect(first).toBe(path.join(reader.cache, "models", stored.sha256.slice(0, 2), stored.sha256));
    expect(second).toBe(first);
    expect(await filesIn(reader.cache)).toEqual([path.join("models", stored.sha256.slice(0, 2), stored.sha256)]);

    // Kinds do not see each other's blobs.
    expect(await host("test-images").store.stat(stored.sha256)).toBeUndefined();
  });

  test("a model host keeps the copy it uploaded; a test-image host keeps none (those are only streamed)", async () => {
    const models = host("models");
    const images = host("test-images");
    const bytes = new TextEncoder().encode("uploaded once");
    const model = await models.store.put(bytes);
    const image = await images.store.put(bytes);
    expect(await filesIn(models.cache)).toEqual([path.join("models", model.sha256.slice(0, 2), model.sha256)]);
    expect(await filesIn(images.cache)).toEqual([]);
    expect(await bytesOf(await images.store.read(image.sha256))).toEqual(bytes);
    expect(await server.keys("test-images/")).toContain(`test-images/${image.sha256}`);
  });

  test("a put leaves nothing in the bucket or the cache when it is refused", async () => {
    const { store, cache } = host();
    const bytes = new Uint8Array(5000).fill(3);
    await expect(store.put(chunked(bytes, 500), { maxBytes: 4999 })).rejects.toMatchObject({ code: "BAD_REQUEST" });
    expect(await store.stat(sha256(bytes))).toBeUndefined();
    expect(await filesIn(cache)).toEqual([]);
  });

  test("a tampered object fails the hash check, by stream and by local path, and nothing of it is cached", async () => {
    const bytes = new TextEncoder().encode("the real model");
    const stored = await host().store.put(bytes);
    const forged = new TextEncoder().encode("a forged model");
    await server.overwrite(`models/${stored.sha256}`, forged);

    const { store, cache } = host();
    const error = await store.localPath(stored.sha256).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(BlobIntegrityError);
    expect(error).toMatchObject({
      expected: stored.sha256,
      actual: sha256(forged),
      message: `The object store's copy of blob ${stored.sha256} is damaged: its bytes hash to ${sha256(forged)}. Nothing of it was kept or used.`,
    });
    expect(await filesIn(cache)).toEqual([]);
    await expect(bytesOf(await store.read(stored.sha256))).rejects.toBeInstanceOf(BlobIntegrityError);
  });

  test("a presigned link works before it expires and is refused after", async () => {
    const { store } = host("test-images");
    const bytes = new Uint8Array([137, 80, 78, 71, 1, 2, 3]);
    const stored = await store.put(bytes);
    const link = await store.presignedUrl(stored.sha256, { expiresInSeconds: 1, contentType: "image/png" });
    const before = await fetch(link);
    expect(before.status).toBe(200);
    expect(new Uint8Array(await before.arrayBuffer())).toEqual(bytes);
    await new Promise((resolve) => setTimeout(resolve, 2100));
    const after = await fetch(link);
    expect(after.status).toBe(403);
    expect(await after.text()).toContain("Request has expired");
    await expect(store.presignedUrl(stored.sha256, { expiresInSeconds: 0 })).rejects.toThrow(RangeError);
  });
});

describe("blobStorageFromEnv", () => {
  test("the local folders by default, a bucket when VIZFLOW_S3_BUCKET is set", () => {
    expect(blobStorageFromEnv({ VIZFLOW_DATA_DIR: "/data" })).toEqual({
      type: "local",
      directories: {
        models: "/data/blobs",
        "test-images": "/data/test-images",
        "training-images": "/data/training-images",
        "training-thumbnails": "/data/training-thumbnails",
        "job-payloads": "/data/job-payloads",
      },
    });
    expect(blobStorageFromEnv({ VIZFLOW_DATA_DIR: "/data", VIZFLOW_MODELS_DIR: "/shared/models" })).toMatchObject({
      directories: { models: "/shared/models" },
    });
    expect(
      blobStorageFromEnv({ VIZFLOW_DATA_DIR: "/data", ...server.env("/cache"), VIZFLOW_S3_PREFIX: "prod" }),
    ).toEqual({
      type: "s3",
      s3: {
        endpoint: server.endpoint,
        bucket: server.bucket,
        region: "us-east-1",
        prefix: "prod/",
        forcePathStyle: true,
        credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" },
      },
      cacheDirectory: "/cache",
    });
    expect(
      blobStorageFromEnv({ VIZFLOW_DATA_DIR: "/data", VIZFLOW_S3_BUCKET: "models", AWS_REGION: "eu-west-1" }),
    ).toEqual({
      type: "s3",
      s3: { bucket: "models", region: "eu-west-1", prefix: "", forcePathStyle: false },
      cacheDirectory: "/data/s3-cache",
    });
  });

  test("says which variable is wrong", () => {
    expect(() => blobStorageFromEnv({ VIZFLOW_S3_ENDPOINT: "http://127.0.0.1:9000" })).toThrow(
      "VIZFLOW_S3_ENDPOINT is set but VIZFLOW_S3_BUCKET is not",
    );
    expect(() => blobStorageFromEnv({ VIZFLOW_S3_BUCKET: "No_Such" })).toThrow(
      "VIZFLOW_S3_BUCKET must be a bucket name",
    );
    expect(() => blobStorageFromEnv({ VIZFLOW_S3_BUCKET: "models", VIZFLOW_S3_ENDPOINT: "127.0.0.1:9000" })).toThrow(
      "VIZFLOW_S3_ENDPOINT must be an http(s) URL",
    );
    expect(() => blobStorageFromEnv({ VIZFLOW_S3_BUCKET: "models", VIZFLOW_S3_ACCESS_KEY_ID: "k" })).toThrow(
      "VIZFLOW_S3_ACCESS_KEY_ID and VIZFLOW_S3_SECRET_ACCESS_KEY go together",
    );
  });
});
