/**
 * An S3-compatible server on 127.0.0.1 for tests: s3rver (the npm registry's S3 emulator in Node: it
 * checks SigV4 signatures, presigned links and their expiry, and stores objects in a folder). Each server
 * has a temporary folder and one empty bucket of its own; `close()` removes both.
 */
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { CreateBucketCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand } from "@aws-sdk/client-s3";
import { s3ClientFor, type BlobStorage, type S3Settings } from "./blob-storage.js";

/** s3rver's fixed credentials. */
const ACCESS_KEY = "S3RVER";

export interface S3TestServer {
  readonly endpoint: string;
  readonly bucket: string;
  readonly settings: S3Settings;
  /** Blob storage in this bucket with a local cache in `cacheDirectory` (one per simulated host). */
  storage(cacheDirectory: string): BlobStorage;
  /** The variables an engine process reads to use this bucket, with its cache in `cacheDirectory`. */
  env(cacheDirectory: string): Record<string, string>;
  /** The keys of the bucket's objects under `prefix`. */
  keys(prefix: string): Promise<string[]>;
  /** An object's bytes as stored, or undefined. */
  object(key: string): Promise<Uint8Array | undefined>;
  /** Replaces an object's bytes behind the stores' backs (a tampered or damaged object). */
  overwrite(key: string, bytes: Uint8Array): Promise<void>;
  close(): Promise<void>;
}

/** Starts a server on `port` (default: `VIZFLOW_TEST_S3_PORT`, else any free port). */
export async function startS3TestServer(port = Number(process.env.VIZFLOW_TEST_S3_PORT ?? 0)): Promise<S3TestServer> {
  const { default: S3rver } = await import("s3rver");
  const directory = await mkdtemp(path.join(tmpdir(), "vizflow-s3-"));
  const server = new S3rver({ address: "127.0.0.1", port, silent: true, directory });
  const address = await server.run();
  const endpoint = `http://127.0.0.1:${address.port}`;
  const bucket = "vizflow-test";
  const settings: S3Settings = {
    endpoint,
    bucket,
    region: "us-east-1",
    prefix: "",
    forcePathStyle: true,
    credentials: { accessKeyId: ACCESS_KEY, secretAccessKey: ACCESS_KEY },
  };
  const client = s3ClientFor(settings);
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return {
    endpoint,
    bucket,
    settings,
    storage: (cacheDirectory) => ({ type: "s3", s3: settings, cacheDirectory }),
    env: (cacheDirectory) => ({
      VIZFLOW_S3_ENDPOINT: endpoint,
      VIZFLOW_S3_BUCKET: bucket,
      VIZFLOW_S3_REGION: "us-east-1",
      VIZFLOW_S3_ACCESS_KEY_ID: ACCESS_KEY,
      VIZFLOW_S3_SECRET_ACCESS_KEY: ACCESS_KEY,
      VIZFLOW_S3_CACHE_DIR: cacheDirectory,
    }),
    async keys(prefix) {
      const listed = await client.send(new ListObjectsV2Command({ Bucket: bucket, Prefix: prefix }));
      return (listed.Contents ?? []).flatMap((o) => (o.Key === undefined ? [] : [o.Key]));
    },
    async object(key) {
      try {
        const object = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
        return await object.Body?.transformToByteArray();
      } catch (error) {
        if ((error as { name?: unknown }).name === "NoSuchKey") return undefined;
        throw error;
      }
    },
    async overwrite(key, bytes) {
      await client.send(new PutObjectCommand({ Bucket: bucket, Key: key, Body: bytes }));
    },
    async close() {
      client.destroy();
      await server.close();
      await rm(directory, { recursive: true, force: true });
    },
  };
}
