import { createHash } from "node:crypto";
import { DataError } from "../errors.js";

/** Bytes to store: a web stream (an upload's body), any async iterable of chunks (a Node stream), or bytes. */
export type BlobSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array;

/** A blob the store holds, as `list` gives it: its name, size and when it was written. */
export interface ListedBlob {
  readonly sha256: string;
  readonly size: number;
  readonly storedAt: Date;
}

/** A blob as stored: its content address and size. */
export interface StoredBlob {
  /** Lowercase hex sha256 of the content. */
  readonly sha256: string;
  readonly size: number;
  /** False when the store already held this content (nothing new was written). */
  readonly created: boolean;
}

export interface PutBlobOptions {
  /** Refuse (and keep nothing of) content longer than this many bytes. */
  readonly maxBytes?: number;
  /** Stop reading and keep nothing when this aborts. */
  readonly signal?: AbortSignal;
  /** Refuse (with BlobIntegrityError, keeping nothing) content whose sha256 is another. */
  readonly expectedSha256?: string;
}

export interface PresignOptions {
  /** How long the link works (default 3600 s, at most 7 days). */
  readonly expiresInSeconds?: number;
  /** The `content-type` the link answers with (the object is stored as application/octet-stream). */
  readonly contentType?: string;
}

/** A presigned link's default lifetime: one hour, as for the app's own signed links. */
export const DEFAULT_PRESIGN_SECONDS = 3600;

/**
 * Content-addressed storage of model files: a blob's name is the sha256 of its bytes, so storing the same
 * file twice keeps one copy and a name always means the same bytes. A local directory on the embedded
 * default (`LocalBlobStore`); an S3-compatible bucket every engine can read when there are several
 * (`S3BlobStore`). Choose one with `openBlobStore(blobStorageFromEnv(), kind)`.
 */
export interface BlobStore {
  /** Streams `source` in, hashing as it goes; the blob becomes visible only once complete. */
  put(source: BlobSource, options?: PutBlobOptions): Promise<StoredBlob>;
  /** The blob's size, or undefined when the store does not hold it. */
  stat(sha256: string): Promise<{ readonly size: number } | undefined>;
  /** The blob's bytes as a stream; NOT_FOUND when the store does not hold it. */
  read(sha256: string): Promise<ReadableStream<Uint8Array>>;
  /**
   * A path on this machine holding the blob's bytes (onnxruntime loads files by path), or undefined when
   * the store does not hold it. A remote store downloads into its local cache first.
   */
  localPath(sha256: string): Promise<string | undefined>;
  /** Removes the blob (no-op when absent). Callers check that no model version still names it. */
  delete(sha256: string): Promise<void>;
  /**
   * Every blob the store holds, in no particular order, for sweeps of stores whose blobs are short-lived
   * (job payloads). A remote store also lists the copies its local cache holds without the bucket.
   */
  list(): AsyncIterable<ListedBlob>;
  /**
   * Deletes what writes interrupted before `before` left behind (a process killed mid-put: temp files,
   * cached copies never uploaded); returns how many. Puts that are still running are younger than that.
   */
  removePartialWrites(before: Date): Promise<number>;
  /**
   * A link the browser can GET the blob's bytes from, expiring after `expiresInSeconds`; undefined where the
   * store has no such links (the local folder: the app serves those bytes itself, behind its own signature).
   */
  presignedUrl(sha256: string, options?: PresignOptions): Promise<string | undefined>;
}

/** Bytes that do not hash to the name they were stored or asked for under: a damaged or tampered copy. */
export class BlobIntegrityError extends Error {
  override readonly name = "BlobIntegrityError";

  constructor(
    readonly expected: string,
    readonly actual: string,
    where: string,
  ) {
    super(`${where} of blob ${expected} is damaged: its bytes hash to ${actual}. Nothing of it was kept or used.`);
  }
}

/** Content over the size limit; nothing of it was kept. */
export class BlobTooLargeError extends DataError {
  constructor(readonly maxBytes: number) {
    super("BAD_REQUEST", `The file is larger than the limit of ${formatBytes(maxBytes)}.`, "file");
  }
}

const SHA256 = /^[0-9a-f]{64}$/;

/** Refuses anything but 64 lowercase hex digits, so a name can never escape the store (`../`). */
export function assertSha256(sha256: string): void {
  if (!SHA256.test(sha256))
    throw new DataError("BAD_REQUEST", `"${sha256}" is not a sha256 (64 lowercase hex digits).`);
}

export function blobNotFound(sha256: string): DataError {
  return new DataError("NOT_FOUND", `The blob store has no file with sha256 ${sha256}.`);
}

/**
 * `stream`'s bytes, passed on as they come, that error at the end (after the last chunk, before the close)
 * with BlobIntegrityError when they do not hash to `sha256`.
 */
export function verifyingStream(
  stream: ReadableStream<Uint8Array>,
  sha256: string,
  where: string,
): ReadableStream<Uint8Array> {
  const hash = createHash("sha256");
  return stream.pipeThrough(
    new TransformStream<Uint8Array, Uint8Array>({
      transform(chunk, controller) {
        hash.update(chunk);
        controller.enqueue(chunk);
      },
      flush(controller) {
        const actual = hash.digest("hex");
        if (actual !== sha256) controller.error(new BlobIntegrityError(sha256, actual, where));
      },
    }),
  );
}

/** The chunks of any BlobSource. */
export async function* chunksOf(source: BlobSource, signal?: AbortSignal): AsyncIterable<Uint8Array> {
  if (source instanceof Uint8Array) {
    yield source;
    return;
  }
  if (source instanceof ReadableStream) {
    const reader = source.getReader();
    try {
      for (;;) {
        signal?.throwIfAborted();
        const { done, value } = await reader.read();
        if (done) return;
        yield value;
      }
    } finally {
      // Stops the producer (e.g. the rest of an upload) when we give up early.
      await reader.cancel().catch(() => undefined);
      reader.releaseLock();
    }
  }
  for await (const chunk of source) {
    signal?.throwIfAborted();
    yield chunk;
  }
}

export function formatBytes(bytes: number): string {
  const units = ["bytes", "KB", "MB", "GB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${Number.isInteger(value) ? value : value.toFixed(1)} ${units[unit] ?? "bytes"}`;
}
