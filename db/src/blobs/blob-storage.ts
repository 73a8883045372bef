/**
 * Where blobs live, read from the environment in this one place: the local folder (the embedded default),
 * or an S3-compatible bucket when `VIZFLOW_S3_BUCKET` is set. `openBlobStore` is the one factory; the
 * engine's assembly and the app's model services both call it with the configuration read here.
 */
import path from "node:path";
import { S3Client } from "@aws-sdk/client-s3";
import type { BlobStore } from "./blob-store.js";
import { LocalBlobStore } from "./local-blob-store.js";
import { S3BlobStore } from "./s3-blob-store.js";

/** What a store holds: model files, test-set and training images (and thumbnails), queued requests' encrypted payloads. */
export type BlobKind = "models" | "test-images" | "training-images" | "training-thumbnails" | "job-payloads";

export const BLOB_KINDS: readonly BlobKind[] = [
  "models",
  "test-images",
  "training-images",
  "training-thumbnails",
  "job-payloads",
];

export interface S3Settings {
  /** `VIZFLOW_S3_ENDPOINT`: an S3-compatible server's URL; absent for AWS S3 itself. */
  readonly endpoint?: string;
  readonly bucket: string;
  readonly region: string;
  /** Prepended to every key (`VIZFLOW_S3_PREFIX`), then `<kind>/<sha256>`. */
  readonly prefix: string;
  /** Bucket in the path rather than the host name (the default with an endpoint: most S3-compatible servers). */
  readonly forcePathStyle: boolean;
  /** Absent: the AWS SDK's own chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, profiles, instance roles). */
  readonly credentials?: { readonly accessKeyId: string; readonly secretAccessKey: string };
}

export type BlobStorage =
  | { readonly type: "local"; readonly directories: Readonly<Record<BlobKind, string>> }
  | { readonly type: "s3"; readonly s3: S3Settings; readonly cacheDirectory: string };

function nonEmpty(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const value = env[name]?.trim();
  return value === undefined || value === "" ? undefined : value;
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;

/**
 * The blob storage the environment names. Local: model files in `VIZFLOW_MODELS_DIR` (default
 * `<VIZFLOW_DATA_DIR>/blobs`), test images in `…/test-images`, training images and thumbnails in
 * `…/training-images` and `…/training-thumbnails`, job payloads in `…/job-payloads`. S3: the
 * bucket `VIZFLOW_S3_BUCKET`, with a verified local cache in `VIZFLOW_S3_CACHE_DIR` (default
 * `<VIZFLOW_DATA_DIR>/s3-cache`). Throws with the variable's name for a bad value.
 */
export function blobStorageFromEnv(env: NodeJS.ProcessEnv = process.env): BlobStorage {
  const dataDir = path.resolve(nonEmpty(env, "VIZFLOW_DATA_DIR") ?? "./.data");
  const bucket = nonEmpty(env, "VIZFLOW_S3_BUCKET");
  if (bucket === undefined) {
    for (const name of ["VIZFLOW_S3_ENDPOINT", "VIZFLOW_S3_ACCESS_KEY_ID", "VIZFLOW_S3_SECRET_ACCESS_KEY"]) {
      if (nonEmpty(env, name) !== undefined) {
        throw new Error(`${name} is set but VIZFLOW_S3_BUCKET is not: name the bucket, or unset ${name}`);
      }
    }
    return {
      type: "local",
      directories: {
        models: path.resolve(nonEmpty(env, "VIZFLOW_MODELS_DIR") ?? path.join(dataDir, "blobs")),
        "test-images": path.join(dataDir, "test-images"),
        "training-images": path.join(dataDir, "training-images"),
        "training-thumbnails": path.join(dataDir, "training-thumbnails"),
        "job-payloads": path.join(dataDir, "job-payloads"),
      },
    };
  }
  if (!BUCKET.test(bucket)) {
    throw new Error(`VIZFLOW_S3_BUCKET must be a bucket name (3 to 63 of a-z, 0-9, "." and "-"), got "${bucket}"`);
  }
  const endpoint = nonEmpty(env, "VIZFLOW_S3_ENDPOINT");
  if (endpoint !== undefined && !/^https?:\/\/[^/\s]+/.test(endpoint)) {
    throw new Error(`VIZFLOW_S3_ENDPOINT must be an http(s) URL such as http://127.0.0.1:9000, got "${endpoint}"`);
  }
  const accessKeyId = nonEmpty(env, "VIZFLOW_S3_ACCESS_KEY_ID");
  const secretAccessKey = nonEmpty(env, "VIZFLOW_S3_SECRET_ACCESS_KEY");
  if ((accessKeyId === undefined) !== (secretAccessKey === undefined)) {
    throw new Error("VIZFLOW_S3_ACCESS_KEY_ID and VIZFLOW_S3_SECRET_ACCESS_KEY go together: set both or neither");
  }
  const pathStyle = nonEmpty(env, "VIZFLOW_S3_FORCE_PATH_STYLE");
  if (pathStyle !== undefined && pathStyle !== "0" && pathStyle !== "1") {
    throw new Error(`VIZFLOW_S3_FORCE_PATH_STYLE must be 0 or 1, got "${pathStyle}"`);
  }
  let prefix = nonEmpty(env, "VIZFLOW_S3_PREFIX") ?? "";
  if (prefix !== "" && !prefix.endsWith("/")) prefix += "/";
  return {
    type: "s3",
    s3: {
      ...(endpoint === undefined ? {} : { endpoint }),
      bucket,
      region: nonEmpty(env, "VIZFLOW_S3_REGION") ?? nonEmpty(env, "AWS_REGION") ?? "us-east-1",
      prefix,
      forcePathStyle: pathStyle === undefined ? endpoint !== undefined : pathStyle === "1",
      ...(accessKeyId !== undefined && secretAccessKey !== undefined
        ? { credentials: { accessKeyId, secretAccessKey } }
        : {}),
    },
    cacheDirectory: path.resolve(nonEmpty(env, "VIZFLOW_S3_CACHE_DIR") ?? path.join(dataDir, "s3-cache")),
  };
}

/** One client per settings object: its connections are shared by the stores of every kind. */
const clients = new WeakMap<S3Settings, S3Client>();

export function s3ClientFor(settings: S3Settings): S3Client {
  let client = clients.get(settings);
  if (!client) {
    client = new S3Client({
      region: settings.region,
      forcePathStyle: settings.forcePathStyle,
      ...(settings.endpoint === undefined ? {} : { endpoint: settings.endpoint }),
      ...(settings.credentials === undefined ? {} : { credentials: settings.credentials }),
      // S3-compatible servers often lack the newer default checksums (aws-chunked uploads with a CRC
      // trailer, stored verbatim by some); every blob is checked against its sha256 on the way back anyway.
      ...(settings.endpoint === undefined
        ? {}
        : { requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" }),
    });
    clients.set(settings, client);
  }
  return client;
}

/** The blob store of one kind in `storage`: a folder of its own, or `<prefix><kind>/` in the bucket. */
export function openBlobStore(storage: BlobStorage, kind: BlobKind): BlobStore {
  if (storage.type === "local") return new LocalBlobStore(storage.directories[kind]);
  return new S3BlobStore({
    client: s3ClientFor(storage.s3),
    bucket: storage.s3.bucket,
    prefix: `${storage.s3.prefix}${kind}/`,
    cacheDirectory: path.join(storage.cacheDirectory, kind),
    // Only model files are loaded by path; the others are streamed, so a host keeps no copy of its uploads.
    keepPutCopies: kind === "models",
  });
}

/** `openBlobStore(blobStorageFromEnv(env), kind)`. */
export function blobStoreFromEnvironment(kind: BlobKind, env: NodeJS.ProcessEnv = process.env): BlobStore {
  return openBlobStore(blobStorageFromEnv(env), kind);
}

/** Where blobs of `kind` live, in words for a log line (never the credentials). */
export function describeBlobStorage(storage: BlobStorage, kind: BlobKind = "models"): string {
  return storage.type === "local"
    ? storage.directories[kind]
    : `s3://${storage.s3.bucket}/${storage.s3.prefix}${kind}/${storage.s3.endpoint === undefined ? "" : ` at ${storage.s3.endpoint}`}`;
}
