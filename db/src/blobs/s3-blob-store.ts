import { createReadStream } from "node:fs";
import { Readable } from "node:stream";
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3ServiceException,
  type S3Client,
} from "@aws-sdk/client-s3";
import { getSignedUrl } from "@aws-sdk/s3-request-presigner";
import {
  assertSha256,
  BlobIntegrityError,
  blobNotFound,
  DEFAULT_PRESIGN_SECONDS,
  verifyingStream,
  type BlobSource,
  type BlobStore,
  type ListedBlob,
  type PresignOptions,
  type PutBlobOptions,
  type StoredBlob,
} from "./blob-store.js";
import { DataError } from "../errors.js";
import { LocalBlobStore } from "./local-blob-store.js";

/** S3 refuses presigned links valid for longer than seven days. */
const MAX_PRESIGN_SECONDS = 7 * 24 * 3600;

export interface S3BlobStoreOptions {
  readonly client: S3Client;
  readonly bucket: string;
  /** Key prefix of this store's objects (e.g. `models/`): a blob is the object `<prefix><sha256>`. */
  readonly prefix: string;
  /**
   * Verified local copies by sha256 (onnxruntime loads models by path; uploads are hashed there before they
   * are sent). Each host keeps its own; a copy is checked against its name once, when it is fetched.
   */
  readonly cacheDirectory: string;
  /**
   * Keep the copy a put hashed in the cache (default true: model files, which this host will load). False
   * for blobs only ever streamed (test images, job payloads): the cache then holds only what `localPath` fetched.
   */
  readonly keepPutCopies?: boolean;
}

/**
 * Blobs as objects of an S3-compatible bucket, which every host reads, with a local cache per host. A put
 * hashes the content into the cache first (size limit, abort and atomic rename as in `LocalBlobStore`),
 * then uploads it under its sha256 unless the bucket already has it. Whatever comes back from the bucket
 * is checked against its sha256: a damaged or tampered object is refused (BlobIntegrityError), never used.
 *
 * @example
 * const blobs = new S3BlobStore({ client, bucket: "vizflow", prefix: "models/", cacheDirectory: "./.data/s3-cache/models" });
 * const { sha256 } = await blobs.put(request.body, { maxBytes: 200_000_000 });
 * const file = await blobs.localPath(sha256); // on any host
 */
export class S3BlobStore implements BlobStore {
  readonly #client: S3Client;
  readonly #bucket: string;
  readonly #prefix: string;
  readonly #cache: LocalBlobStore;
  readonly #keepPutCopies: boolean;
  /** Downloads in progress, so concurrent loads of one model fetch it once. */
  readonly #fetching = new Map<string, Promise<string | undefined>>();

  constructor(options: S3BlobStoreOptions) {
    this.#client = options.client;
    this.#bucket = options.bucket;
    this.#prefix = options.prefix;
    this.#cache = new LocalBlobStore(options.cacheDirectory);
    this.#keepPutCopies = options.keepPutCopies ?? true;
  }

  get bucket(): string {
    return this.#bucket;
  }

  /** The object key of a blob. */
  keyOf(sha256: string): string {
    assertSha256(sha256);
    return `${this.#prefix}${sha256}`;
  }

  async put(source: BlobSource, options: PutBlobOptions = {}): Promise<StoredBlob> {
    const local = await this.#cache.put(source, options);
    let inBucket = false;
    try {
      if (await this.stat(local.sha256)) {
        inBucket = true;
        return { ...local, created: false };
      }
      const file = await this.#cache.localPath(local.sha256);
      if (file === undefined) throw new Error(`the local cache lost ${local.sha256} right after storing it`);
      await this.#client.send(
        new PutObjectCommand({
          Bucket: this.#bucket,
          Key: this.keyOf(local.sha256),
          Body: createReadStream(file),
          ContentLength: local.size,
          ContentType: "application/octet-stream",
        }),
        options.signal ? { abortSignal: options.signal } : {},
      );
      inBucket = true;
      return { ...local, created: true };
    } finally {
      // Nothing half-stored: what the bucket did not take, the cache does not keep (unless it had it before).
      if (local.created && (!inBucket || !this.#keepPutCopies)) await this.#cache.delete(local.sha256);
    }
  }

  async stat(sha256: string): Promise<{ readonly size: number } | undefined> {
    try {
      const head = await this.#client.send(new HeadObjectCommand({ Bucket: this.#bucket, Key: this.keyOf(sha256) }));
      return { size: head.ContentLength ?? 0 };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async read(sha256: string): Promise<ReadableStream<Uint8Array>> {
    const cached = await this.#cache.localPath(sha256);
    if (cached !== undefined) return this.#cache.read(sha256);
    return verifyingStream(await this.#download(sha256), sha256, "The object store's copy");
  }

  async localPath(sha256: string): Promise<string | undefined> {
    const cached = await this.#cache.localPath(sha256);
    if (cached !== undefined) return cached;
    let fetching = this.#fetching.get(sha256);
    if (!fetching) {
      fetching = this.#fetchIntoCache(sha256).finally(() => this.#fetching.delete(sha256));
      this.#fetching.set(sha256, fetching);
    }
    return fetching;
  }

  async delete(sha256: string): Promise<void> {
    await this.#client.send(new DeleteObjectCommand({ Bucket: this.#bucket, Key: this.keyOf(sha256) }));
    await this.#cache.delete(sha256);
  }

  async *list(): AsyncIterable<ListedBlob> {
    const seen = new Set<string>();
    let token: string | undefined;
    do {
      const page = await this.#client.send(
        new ListObjectsV2Command({ Bucket: this.#bucket, Prefix: this.#prefix, ContinuationToken: token }),
      );
      for (const object of page.Contents ?? []) {
        const name = object.Key?.slice(this.#prefix.length) ?? "";
        if (!/^[0-9a-f]{64}$/.test(name)) continue;
        seen.add(name);
        yield { sha256: name, size: object.Size ?? 0, storedAt: object.LastModified ?? new Date(0) };
      }
      token = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (token !== undefined);
    // Copies a put hashed here but never uploaded (its process died in between) are this store's too.
    for await (const cached of this.#cache.list()) if (!seen.has(cached.sha256)) yield cached;
  }

  removePartialWrites(before: Date): Promise<number> {
    return this.#cache.removePartialWrites(before);
  }

  async presignedUrl(sha256: string, options: PresignOptions = {}): Promise<string> {
    const expiresIn = options.expiresInSeconds ?? DEFAULT_PRESIGN_SECONDS;
    if (!Number.isInteger(expiresIn) || expiresIn < 1 || expiresIn > MAX_PRESIGN_SECONDS) {
      throw new RangeError(`a presigned link lasts 1 to ${MAX_PRESIGN_SECONDS} whole seconds, not ${expiresIn}`);
    }
    const command = new GetObjectCommand({
      Bucket: this.#bucket,
      Key: this.keyOf(sha256),
      ...(options.contentType === undefined ? {} : { ResponseContentType: options.contentType }),
    });
    return getSignedUrl(this.#client, command, { expiresIn });
  }

  async #fetchIntoCache(sha256: string): Promise<string | undefined> {
    let body: ReadableStream<Uint8Array>;
    try {
      body = await this.#download(sha256);
    } catch (error) {
      if (error instanceof DataError && error.code === "NOT_FOUND") return undefined;
      throw error;
    }
    // The cache refuses (keeping nothing) bytes that do not hash to the name asked for.
    await this.#cache.put(body, { expectedSha256: sha256 }).catch((error: unknown) => {
      if (error instanceof BlobIntegrityError) {
        throw new BlobIntegrityError(error.expected, error.actual, "The object store's copy");
      }
      throw error;
    });
    return this.#cache.localPath(sha256);
  }

  async #download(sha256: string): Promise<ReadableStream<Uint8Array>> {
    try {
      const object = await this.#client.send(new GetObjectCommand({ Bucket: this.#bucket, Key: this.keyOf(sha256) }));
      if (!object.Body) throw new Error(`the object store answered no body for blob ${sha256}`);
      return object.Body instanceof Readable
        ? (Readable.toWeb(object.Body) as ReadableStream<Uint8Array>)
        : object.Body.transformToWebStream();
    } catch (error) {
      if (isNotFound(error)) throw blobNotFound(sha256);
      throw error;
    }
  }
}

function isNotFound(error: unknown): boolean {
  return (
    error instanceof S3ServiceException &&
    (error.$metadata.httpStatusCode === 404 || error.name === "NoSuchKey" || error.name === "NotFound")
  );
}
