/** Model versions from `@vizflow/db`, their files from a blob store. */
import { findModelVersionForRuntime, type BlobStore, type Database } from "@vizflow/db";
import type { ModelAdapter } from "../runtime/adapter.js";
import { ModelError } from "../runtime/errors.js";
import type { ModelStore, ModelVersionRecord } from "../runtime/model-store.js";

/**
 * The engine's ModelStore over the `model_version` table and a blob store. Shared by every workspace:
 * it is only asked for ids that a workspace-scoped task lookup resolved.
 */
export class DatabaseModelStore implements ModelStore {
  readonly #db: Database["db"];
  readonly #blobs: BlobStore;

  constructor(db: Database["db"], blobs: BlobStore) {
    this.#db = db;
    this.#blobs = blobs;
  }

  async get(modelVersionId: string): Promise<ModelVersionRecord | undefined> {
    const version = await findModelVersionForRuntime(this.#db, modelVersionId);
    if (!version) return undefined;
    let path: string | undefined;
    try {
      path = await this.#blobs.localPath(version.fileSha256);
    } catch (error) {
      // A remote store could not be read, or its copy failed the hash check: the model is not used.
      throw new ModelError(
        "model_load_failed",
        `the file of model version ${modelVersionId} (sha256 ${version.fileSha256}) could not be fetched from the model store: ${(error as Error).message}`,
        { modelVersionId, cause: error },
      );
    }
    if (path === undefined) {
      throw new ModelError(
        "model_load_failed",
        `the file of model version ${modelVersionId} (sha256 ${version.fileSha256}) is missing from the model store`,
        { modelVersionId },
      );
    }
    return {
      id: version.id,
      taskType: version.taskType,
      labels: version.labels,
      // Validated against the adapter schema on upload, and again by the runtime before it loads the model.
      adapter: version.adapter as ModelAdapter,
      file: { path },
    };
  }
}
