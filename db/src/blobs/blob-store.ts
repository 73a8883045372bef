import { DataError } from "../errors.js";

/** Bytes to store: a web stream (an upload's body), any async iterable of chunks (a Node stream), or bytes. */
export type BlobSource = ReadableStream<Uint8Array> | AsyncIterable<Uint8Array> | Uint8Array;

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
}

/**
 * Content-addressed storage of model files: a blob's name is the sha256 of its bytes, so storing the same
 * file twice keeps one copy and a name always means the same bytes. A local directory on the embedded
 * default; a store every engine can read when there are several.
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
