import path from "node:path";
import {
  failStaleEvaluations,
  failStalePreannotationRuns,
  LocalBlobStore,
  openBlobStore,
  type BlobKind,
  type BlobStorage,
  type BlobStore,
  type Database,
} from "@vizflow/db";
import { DatabaseModelStore, DecoderRegistry, installedPlugins, ModelRuntime } from "@vizflow/flow-engine";
import { blobStorage, inferenceWorkerUrl } from "./engine";

/** What the task pages need beyond the database: the model files, the test-set images, a model runtime. */
export interface ModelServices {
  /** Model files by sha256 (the store the engine reads too). */
  readonly blobs: BlobStore;
  /** Test-set images by sha256: training data, kept apart from model files. */
  readonly testImages: BlobStore;
  /** Training-set images by sha256 (every task's set), beside the test images. */
  readonly trainingImages: BlobStore;
  /** Thumbnails of training images, made once on first request. */
  readonly trainingThumbnails: BlobStore;
  /** Checks uploads, tries models and runs evaluations. */
  readonly runtime: ModelRuntime;
  readonly limits: UploadLimits;
}

export interface UploadLimits {
  /** Largest model file accepted (`VIZFLOW_MAX_MODEL_BYTES`, default 200 MB). */
  readonly modelBytes: number;
  /** Largest test-set zip accepted (`VIZFLOW_MAX_TEST_SET_BYTES`, default 500 MB). */
  readonly testSetBytes: number;
  /** Largest image tried on the task page (10 MB). */
  readonly imageBytes: number;
}

export const DEFAULT_MAX_MODEL_BYTES = 200_000_000;
export const DEFAULT_MAX_TEST_SET_BYTES = 500_000_000;

function bytesFromEnv(name: string, fallback: number, env: NodeJS.ProcessEnv): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isSafeInteger(value) || value <= 0) {
    throw new Error(`${name} must be a positive whole number of bytes, not "${raw}"`);
  }
  return value;
}

export function uploadLimitsFromEnv(env: NodeJS.ProcessEnv = process.env): UploadLimits {
  return {
    modelBytes: bytesFromEnv("VIZFLOW_MAX_MODEL_BYTES", DEFAULT_MAX_MODEL_BYTES, env),
    testSetBytes: bytesFromEnv("VIZFLOW_MAX_TEST_SET_BYTES", DEFAULT_MAX_TEST_SET_BYTES, env),
    imageBytes: 10_000_000,
  };
}

/** Model services over the blob storage given (the configured one), or blob directories of their own (tests). */
export function createModelServices(
  database: Database,
  options: (
    | { readonly storage: BlobStorage }
    | {
        readonly blobDir: string;
        readonly testImageDir: string;
        /** Default: `training-images` beside `testImageDir` (thumbnails in `training-thumbnails`). */
        readonly trainingImageDir?: string;
      }
  ) & {
    readonly limits?: UploadLimits;
    /** Decoders adapters may name (default: the built-in ones); `pluginDecoders()` adds the plugins'. */
    readonly decoders?: DecoderRegistry;
  },
): ModelServices {
  const store = (kind: BlobKind, directory: (o: { testImageDir: string; trainingImageDir?: string }) => string) =>
    "storage" in options ? openBlobStore(options.storage, kind) : new LocalBlobStore(directory(options));
  const trainingDir = (o: { testImageDir: string; trainingImageDir?: string }) =>
    o.trainingImageDir ?? path.join(path.dirname(o.testImageDir), "training-images");
  const blobs = "storage" in options ? openBlobStore(options.storage, "models") : new LocalBlobStore(options.blobDir);
  return {
    blobs,
    testImages: store("test-images", (o) => o.testImageDir),
    trainingImages: store("training-images", trainingDir),
    trainingThumbnails: store("training-thumbnails", (o) =>
      path.join(path.dirname(trainingDir(o)), "training-thumbnails"),
    ),
    // One worker: checks, tries and evaluations are occasional, and flows get the engine's own pool.
    runtime: new ModelRuntime({
      store: new DatabaseModelStore(database.db, blobs),
      pool: { size: 1, workerUrl: inferenceWorkerUrl() },
      cacheSize: 4,
      ...(options.decoders === undefined ? {} : { decoders: options.decoders }),
    }),
    limits: options.limits ?? uploadLimitsFromEnv(),
  };
}

/**
 * The built-in decoders plus the enabled plugins' (the process-wide plugins the engine's assembly uses too,
 * loaded once); a disabled plugin's decoder is refused with the plugin's reason.
 */
export async function pluginDecoders(): Promise<DecoderRegistry> {
  const plugins = await installedPlugins();
  return DecoderRegistry.withPlugins(plugins.definitions, plugins.disabled);
}

const SERVICES = Symbol.for("vizflow.model-services");
type Holder = { [SERVICES]?: WeakMap<Database, Promise<ModelServices>> };

function registry(): WeakMap<Database, Promise<ModelServices>> {
  const holder = globalThis as Holder;
  holder[SERVICES] ??= new WeakMap();
  return holder[SERVICES];
}

/**
 * The model services of a database (its runtime knows the plugins' decoders), on `globalThis` so Next's bundles
 * and route handlers share one runtime.
 * Embedded default: `<VIZFLOW_DATA_DIR or ./.data>/blobs` for model files, `…/test-images` for test sets,
 * `…/training-images` and `…/training-thumbnails` for training sets;
 * with `VIZFLOW_S3_BUCKET`, the bucket every engine reads (see `blobStorageFromEnv`).
 */
export function modelServicesFor(database: Database): Promise<ModelServices> {
  const services = registry();
  let existing = services.get(database);
  if (!existing) {
    existing = pluginDecoders().then((decoders) => createModelServices(database, { storage: blobStorage(), decoders }));
    existing.catch(() => services.delete(database));
    services.set(database, existing);
    // Evaluations run inside the app process. On the embedded default there is one such process, so a
    // "running" row from before this start belongs to a process that is gone and can never finish.
    if (database.dialect === "pglite") {
      const now = new Date();
      failStaleEvaluations(database.db, now).catch((error: unknown) =>
        console.error("could not mark stale evaluations as failed:", error),
      );
      failStalePreannotationRuns(database.db, now).catch((error: unknown) =>
        console.error("could not mark stale pre-annotation runs as failed:", error),
      );
    }
  }
  return existing;
}

/** Uses `services` for `database` (tests: blob directories of their own). */
export function setModelServices(database: Database, services: ModelServices): void {
  registry().set(database, Promise.resolve(services));
}

/** Deletes training blobs (images, thumbnails) that no training image names any more. */
export async function deleteTrainingBlobs(models: ModelServices, sha256s: readonly string[]): Promise<void> {
  for (const sha256 of sha256s) {
    await models.trainingImages.delete(sha256);
    await models.trainingThumbnails.delete(sha256);
  }
}
