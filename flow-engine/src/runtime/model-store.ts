/** Where model versions come from: the engine's database in production, a map in tests. */
import type { TaskType } from "@vizflow/sdk";
import type { ModelAdapter } from "./adapter.js";
import type { ModelSource } from "./inference/inference-pool.js";

export interface ModelVersionRecord {
  id: string;
  /** Type of the task the version belongs to; the decoder produces this kind of prediction. */
  taskType: TaskType;
  /** The task's labels; the adapter's own `labels` override them for output order. */
  labels: readonly string[];
  adapter: ModelAdapter;
  /** The ONNX file: a path (a local blob-store cache file) or its bytes. */
  file: ModelSource;
}

export interface ModelStore {
  /** The model version, or undefined when there is none with this id. */
  get(modelVersionId: string): Promise<ModelVersionRecord | undefined>;
}

/** Finds the active model version of a workspace task (the executor knows the workspace). */
export type TaskModelResolver = (taskId: string) => Promise<string> | string;

/** A ModelStore over a fixed set of versions (tests, the SDK test kit, single-file setups). */
export class InMemoryModelStore implements ModelStore {
  readonly #versions = new Map<string, ModelVersionRecord>();

  constructor(versions: readonly ModelVersionRecord[] = []) {
    for (const v of versions) this.put(v);
  }

  put(version: ModelVersionRecord): void {
    this.#versions.set(version.id, version);
  }

  get(modelVersionId: string): Promise<ModelVersionRecord | undefined> {
    return Promise.resolve(this.#versions.get(modelVersionId));
  }
}
