import { createHash, randomBytes } from "node:crypto";
import { createReadStream } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat } from "node:fs/promises";
import path from "node:path";
import { Readable } from "node:stream";
import {
  assertSha256,
  blobNotFound,
  BlobIntegrityError,
  BlobTooLargeError,
  chunksOf,
  type BlobSource,
  type BlobStore,
  type ListedBlob,
  type PresignOptions,
  type PutBlobOptions,
  type StoredBlob,
} from "./blob-store.js";

/**
 * Blobs as files `<directory>/<first two hex digits>/<sha256>`. Writes go to `<directory>/tmp/` first and
 * are renamed into place once hashed and flushed, so a reader never sees a partial file and a crash leaves
 * only temp files behind. Two concurrent puts of the same content both succeed and leave one file.
 *
 * @example
 * const blobs = new LocalBlobStore("./.data/blobs");
 * const { sha256, size } = await blobs.put(request.body, { maxBytes: 200_000_000 });
 */
export class LocalBlobStore implements BlobStore {
  readonly #directory: string;
  readonly #tmp: string;

  constructor(directory: string) {
    this.#directory = path.resolve(directory);
    this.#tmp = path.join(this.#directory, "tmp");
  }

  get directory(): string {
    return this.#directory;
  }

  async put(source: BlobSource, options: PutBlobOptions = {}): Promise<StoredBlob> {
    if (options.expectedSha256 !== undefined) assertSha256(options.expectedSha256);
    await mkdir(this.#tmp, { recursive: true });
    const tmpPath = path.join(this.#tmp, `${Date.now()}-${randomBytes(8).toString("hex")}`);
    const file = await open(tmpPath, "wx");
    const hash = createHash("sha256");
    let size = 0;
    let sha256: string;
    try {
      try {
        for await (const chunk of chunksOf(source, options.signal)) {
          size += chunk.byteLength;
          if (options.maxBytes !== undefined && size > options.maxBytes) throw new BlobTooLargeError(options.maxBytes);
          hash.update(chunk);
          await file.write(chunk);
        }
        await file.sync();
      } finally {
        await file.close();
      }
      sha256 = hash.digest("hex");
      if (options.expectedSha256 !== undefined && sha256 !== options.expectedSha256) {
        throw new BlobIntegrityError(options.expectedSha256, sha256, "The copy received");
      }
      const target = this.#pathOf(sha256);
      if (await exists(target)) {
        await rm(tmpPath, { force: true });
        return { sha256, size, created: false };
      }
      await mkdir(path.dirname(target), { recursive: true });
      // rename replaces atomically; a concurrent put of the same content wrote the same bytes.
      await rename(tmpPath, target);
      return { sha256, size, created: true };
    } catch (error) {
      await rm(tmpPath, { force: true });
      throw error;
    }
  }

  async stat(sha256: string): Promise<{ readonly size: number } | undefined> {
    assertSha256(sha256);
    try {
      return { size: (await stat(this.#pathOf(sha256))).size };
    } catch (error) {
      if (isNotFound(error)) return undefined;
      throw error;
    }
  }

  async read(sha256: string): Promise<ReadableStream<Uint8Array>> {
    const file = await this.localPath(sha256);
    if (file === undefined) throw blobNotFound(sha256);
    return Readable.toWeb(createReadStream(file)) as ReadableStream<Uint8Array>;
  }

  async localPath(sha256: string): Promise<string | undefined> {
    assertSha256(sha256);
    const file = this.#pathOf(sha256);
    return (await exists(file)) ? file : undefined;
  }

  async delete(sha256: string): Promise<void> {
    assertSha256(sha256);
    await rm(this.#pathOf(sha256), { force: true });
  }

  async *list(): AsyncIterable<ListedBlob> {
    for (const prefix of await entriesOf(this.#directory)) {
      if (!/^[0-9a-f]{2}$/.test(prefix)) continue;
      for (const name of await entriesOf(path.join(this.#directory, prefix))) {
        if (!SHA256_NAME.test(name) || !name.startsWith(prefix)) continue;
        const info = await stat(path.join(this.#directory, prefix, name)).catch((error: unknown) => {
          if (isNotFound(error)) return undefined; // deleted meanwhile
          throw error;
        });
        if (info?.isFile()) yield { sha256: name, size: info.size, storedAt: info.mtime };
      }
    }
  }

  async removePartialWrites(before: Date): Promise<number> {
    let removed = 0;
    for (const name of await entriesOf(this.#tmp)) {
      const file = path.join(this.#tmp, name);
      const info = await stat(file).catch(() => undefined);
      if (info === undefined || info.mtime >= before) continue;
      await rm(file, { force: true });
      removed++;
    }
    return removed;
  }

  /** None: a local folder is not reachable from the browser; the app serves its bytes behind its own signed links. */
  // eslint-disable-next-line @typescript-eslint/require-await -- async: a bad name rejects, as in the other stores
  async presignedUrl(sha256: string, _options?: PresignOptions): Promise<string | undefined> {
    assertSha256(sha256);
    return undefined;
  }

  #pathOf(sha256: string): string {
    return path.join(this.#directory, sha256.slice(0, 2), sha256);
  }
}

const SHA256_NAME = /^[0-9a-f]{64}$/;

/** The names in `directory`; none when it does not exist (nothing was stored yet). */
async function entriesOf(directory: string): Promise<string[]> {
  try {
    return await readdir(directory);
  } catch (error) {
    if (isNotFound(error)) return [];
    throw error;
  }
}

async function exists(file: string): Promise<boolean> {
  try {
    await stat(file);
    return true;
  } catch (error) {
    if (isNotFound(error)) return false;
    throw error;
  }
}

function isNotFound(error: unknown): boolean {
  return typeof error === "object" && error !== null && (error as { code?: unknown }).code === "ENOENT";
}
