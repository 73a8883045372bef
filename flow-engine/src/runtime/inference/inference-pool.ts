/**
 * A pool of worker threads running onnxruntime-node sessions, so inference never holds the JS
 * thread. Every worker holds every loaded model (loaded on first need), and a run goes to the
 * worker with the fewest jobs in flight. Feed buffers are transferred, not copied.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import type { Tensor } from "@vizflow/sdk";
import { ModelError } from "../errors.js";

/** Where a model file comes from: a path on disk, or the bytes themselves. */
export type ModelSource = { path: string } | { bytes: Uint8Array };

export interface TensorInfo {
  name: string;
  /** onnxruntime element type: "float32", "int64", ... */
  type: string;
  /** Fixed sizes, or a name / -1 for dynamic axes; empty when unknown. */
  shape: readonly (number | string)[];
}

export interface ModelInfo {
  inputs: readonly TensorInfo[];
  outputs: readonly TensorInfo[];
  /** Milliseconds onnxruntime took to create the session (in the first worker that answered). */
  createMs: number;
}

/** The session options measured fastest on this kind of machine (see the engine README). */
export const DEFAULT_SESSION_OPTIONS = {
  intraOpNumThreads: 2,
  interOpNumThreads: 1,
  executionMode: "sequential",
  graphOptimizationLevel: "all",
  logSeverityLevel: 3,
  extra: { session: { intra_op: { allow_spinning: "0" } } },
} as const;

export interface InferencePoolOptions {
  /** Worker threads (default: the number of cores). */
  size?: number;
  /** onnxruntime session options, merged over DEFAULT_SESSION_OPTIONS. */
  sessionOptions?: Record<string, unknown>;
  /**
   * Location of `inference-worker.mjs`, for hosts that bundle this package so that the file no longer
   * sits next to this module (default: resolved from this module's URL).
   */
  workerUrl?: URL | string;
}

export interface InferencePoolStats {
  workers: number;
  /** Sessions created (per worker). */
  loads: number;
  /** Sessions released (per worker). */
  releases: number;
  /** `session.run` calls. */
  runs: number;
  /** Summed milliseconds inside `session.run`. */
  runMs: number;
}

export interface RunResult {
  outputs: Record<string, Tensor>;
  /** Milliseconds inside `session.run` in the worker. */
  runMs: number;
}

interface Job {
  resolve: (value: unknown) => void;
  reject: (err: Error) => void;
}

interface Slot {
  worker: Worker;
  jobs: Map<number, Job>;
  loaded: Map<string, Promise<ModelInfo>>;
}

const WORKER_URL = new URL("./inference-worker.mjs", import.meta.url);

function elementType(data: Tensor["data"]): string {
  if (data instanceof Float32Array) return "float32";
  if (data instanceof Int32Array) return "int32";
  if (data instanceof BigInt64Array) return "int64";
  return "uint8";
}

interface WireTensor {
  type: string;
  data: Tensor["data"];
  dims: readonly number[];
}

export class InferencePool {
  readonly #slots: Slot[] = [];
  readonly #sources = new Map<string, ModelSource>();
  readonly #sessionOptions: Record<string, unknown>;
  readonly #workerUrl: URL | string;
  #nextId = 1;
  #closed = false;
  readonly #stats = { loads: 0, releases: 0, runs: 0, runMs: 0 };

  constructor(options: InferencePoolOptions = {}) {
    const size = Math.max(1, options.size ?? availableParallelism());
    this.#sessionOptions = { ...DEFAULT_SESSION_OPTIONS, ...options.sessionOptions };
    this.#workerUrl = options.workerUrl ?? WORKER_URL;
    for (let i = 0; i < size; i++) this.#slots.push(this.#spawn());
  }

  get size(): number {
    return this.#slots.length;
  }

  #spawn(): Slot {
    const worker = new Worker(this.#workerUrl, { workerData: { sessionOptions: this.#sessionOptions } });
    // Idle workers must not keep the process alive; a worker with jobs in flight does.
    worker.unref();
    const slot: Slot = { worker, jobs: new Map(), loaded: new Map() };
    worker.on("message", (msg: { type: "done" | "failed"; id: number; value?: unknown; message?: string }) => {
      const job = slot.jobs.get(msg.id);
      if (!job) return;
      slot.jobs.delete(msg.id);
      if (slot.jobs.size === 0) worker.unref();
      if (msg.type === "done") job.resolve(msg.value);
      else job.reject(new Error(msg.message ?? "the inference worker failed"));
    });
    const fail = (reason: string) => {
      if (this.#closed) return;
      for (const job of slot.jobs.values()) job.reject(new ModelError("inference_failed", reason));
      slot.jobs.clear();
      const index = this.#slots.indexOf(slot);
      if (index >= 0) this.#slots[index] = this.#spawn();
    };
    worker.on("error", (err) => fail(`the inference worker crashed: ${err.message}`));
    worker.on("exit", (code) => fail(`the inference worker exited with code ${code}`));
    return slot;
  }

  #post(slot: Slot, message: Record<string, unknown>, transfer: ArrayBuffer[] = []): Promise<unknown> {
    if (this.#closed) return Promise.reject(new ModelError("runtime_closed", "the model runtime is closed"));
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      if (slot.jobs.size === 0) slot.worker.ref();
      slot.jobs.set(id, { resolve, reject });
      slot.worker.postMessage({ ...message, id }, transfer);
    });
  }

  #loadOn(slot: Slot, key: string, source: ModelSource): Promise<ModelInfo> {
    let loading = slot.loaded.get(key);
    if (!loading) {
      this.#stats.loads++;
      loading = this.#post(slot, { type: "load", key, source }) as Promise<ModelInfo>;
      slot.loaded.set(key, loading);
      loading.catch(() => slot.loaded.delete(key));
    }
    return loading;
  }

  /** Loads a model into every worker (once per worker, however often asked); resolves with its metadata. */
  async load(key: string, source: ModelSource): Promise<ModelInfo> {
    this.#sources.set(key, source);
    try {
      const infos = await Promise.all(this.#slots.map((slot) => this.#loadOn(slot, key, source)));
      return infos[0] as ModelInfo;
    } catch (err) {
      this.#sources.delete(key);
      await this.release(key);
      throw err;
    }
  }

  /**
   * Runs a loaded model. Feed buffers are transferred to the worker (and unusable here after)
   * unless `copy` is set; output buffers come back transferred.
   */
  async run(key: string, feeds: Record<string, Tensor>, options: { copy?: boolean } = {}): Promise<RunResult> {
    const source = this.#sources.get(key);
    if (!source) throw new ModelError("inference_failed", `model ${key} is not loaded`);
    const slot = this.#slots.reduce((best, s) => (s.jobs.size < best.jobs.size ? s : best));
    await this.#loadOn(slot, key, source);
    const wire: Record<string, WireTensor> = {};
    const transfer: ArrayBuffer[] = [];
    for (const [name, t] of Object.entries(feeds)) {
      wire[name] = { type: elementType(t.data), data: t.data, dims: t.dims };
      const { buffer } = t.data;
      const whole = t.data.byteOffset === 0 && t.data.byteLength === buffer.byteLength;
      if (!options.copy && whole && buffer instanceof ArrayBuffer && !transfer.includes(buffer)) transfer.push(buffer);
    }
    const { outputs, runMs } = (await this.#post(slot, { type: "run", key, feeds: wire }, transfer)) as {
      outputs: Record<string, WireTensor>;
      runMs: number;
    };
    this.#stats.runs++;
    this.#stats.runMs += runMs;
    const result: Record<string, Tensor> = {};
    for (const [name, t] of Object.entries(outputs)) result[name] = { data: t.data, dims: t.dims };
    return { outputs: result, runMs };
  }

  /** Releases a model's sessions in every worker (runs in flight finish first). */
  async release(key: string): Promise<void> {
    this.#sources.delete(key);
    await Promise.all(
      this.#slots.map(async (slot) => {
        const loading = slot.loaded.get(key);
        if (!loading) return;
        slot.loaded.delete(key);
        await loading.catch(() => undefined);
        this.#stats.releases++;
        await this.#post(slot, { type: "release", key });
      }),
    );
  }

  /** Keys of the models loaded (or loading) in the pool. */
  loadedKeys(): string[] {
    return [...this.#sources.keys()];
  }

  stats(): InferencePoolStats {
    return { workers: this.#slots.length, ...this.#stats };
  }

  /** Terminates the workers; pending work fails with `runtime_closed`. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    for (const slot of this.#slots) {
      for (const job of slot.jobs.values())
        job.reject(new ModelError("runtime_closed", "the model runtime was closed"));
      slot.jobs.clear();
    }
    await Promise.all(this.#slots.map((slot) => slot.worker.terminate()));
  }
}
