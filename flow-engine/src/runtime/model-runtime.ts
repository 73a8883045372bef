/**
 * The model runtime: model versions loaded once into the inference pool (bounded LRU), scope images
 * preprocessed as their adapter says, run (batched where the model takes a dynamic batch) and decoded
 * into task predictions with boxes in root-image pixels.
 */
import { resolve as resolvePath } from "node:path";
import type { DecoderDefinition, ModelHost, ScopeImage, TaskPrediction, Tensor } from "@vizflow/sdk";
import { adapterTensorSpec, validateModelAdapter } from "./adapter.js";
import { DecoderRegistry } from "./decoders/registry.js";
import { checkDecodedPrediction } from "./prediction-checks.js";
import { ModelError } from "./errors.js";
import type { TensorSpec } from "./image/preprocess.js";
import { DynamicBatcher } from "./inference/batcher.js";
import { InferencePool, type InferencePoolOptions, type ModelInfo } from "./inference/inference-pool.js";
import { SessionCache } from "./inference/session-cache.js";
import type { ModelStore, ModelVersionRecord, TaskModelResolver } from "./model-store.js";
import { checkModelFits } from "./model-fit.js";

export interface ModelRuntimeOptions {
  store: ModelStore;
  /** Decoders adapters may name (default: the built-in ones). */
  decoders?: DecoderRegistry;
  /** An existing pool to share, or options for a pool the runtime owns. */
  pool?: InferencePool | InferencePoolOptions;
  /** Models kept loaded (default 16); the least recently used beyond that is released. */
  cacheSize?: number;
  /** Largest batch sent in one run to a model with a dynamic batch axis (default 16). */
  maxBatch?: number;
}

/** A model version ready to run. */
export interface LoadedModelVersion {
  key: string;
  version: ModelVersionRecord;
  info: ModelInfo;
  decoder: DecoderDefinition;
  spec: TensorSpec;
  /** Labels in output order (the adapter's, else the task's). */
  labels: readonly string[];
  /** The input's first axis is dynamic, so scopes can share one run. */
  dynamicBatch: boolean;
}

/** A plugin's own model file, run with raw tensors. */
interface LoadedFile {
  key: string;
  info: ModelInfo;
}

type Loaded = LoadedModelVersion | LoadedFile;

const VERSION_PREFIX = "version:";
const FILE_PREFIX = "file:";

export class ModelRuntime {
  readonly #store: ModelStore;
  readonly #decoders: DecoderRegistry;
  readonly #pool: InferencePool;
  readonly #ownsPool: boolean;
  readonly #cache: SessionCache<Loaded>;
  readonly #batcher: DynamicBatcher;

  constructor(options: ModelRuntimeOptions) {
    this.#store = options.store;
    this.#decoders = options.decoders ?? new DecoderRegistry();
    this.#ownsPool = !(options.pool instanceof InferencePool);
    this.#pool = options.pool instanceof InferencePool ? options.pool : new InferencePool(options.pool);
    this.#batcher = new DynamicBatcher({ maxBatch: options.maxBatch ?? 16, concurrency: () => this.#pool.size });
    this.#cache = new SessionCache<Loaded>({
      capacity: options.cacheSize ?? 16,
      create: (key) => this.#load(key),
      dispose: (key) => this.#pool.release(key),
    });
  }

  get pool(): InferencePool {
    return this.#pool;
  }

  get decoders(): DecoderRegistry {
    return this.#decoders;
  }

  /** Keys of loaded models, least recently used first (`version:<id>` and `file:<path>`). */
  loadedKeys(): string[] {
    return this.#cache.keys();
  }

  async #load(key: string): Promise<Loaded> {
    if (key.startsWith(FILE_PREFIX)) {
      const path = key.slice(FILE_PREFIX.length);
      try {
        return { key, info: await this.#pool.load(key, { path }) };
      } catch (err) {
        throw new ModelError("model_load_failed", `cannot load the model file ${path}: ${(err as Error).message}`, {
          cause: err,
        });
      }
    }
    const id = key.slice(VERSION_PREFIX.length);
    const version = await this.#store.get(id);
    if (!version) throw new ModelError("model_not_found", `model version ${id} does not exist`, { modelVersionId: id });
    const checked = validateModelAdapter(version.adapter, this.#decoders, version.taskType);
    if (!checked.ok) {
      throw new ModelError(
        "invalid_adapter",
        `model version ${id} has an invalid adapter: ${checked.problems.map((p) => p.message).join("; ")}`,
        { modelVersionId: id, status: 422 },
      );
    }
    const decoder = this.#decoders.get(version.adapter.decoder.id) as DecoderDefinition;
    let info: ModelInfo;
    try {
      info = await this.#pool.load(key, version.file);
    } catch (err) {
      throw new ModelError("model_load_failed", `model version ${id} cannot be loaded: ${(err as Error).message}`, {
        cause: err,
        modelVersionId: id,
      });
    }
    const fit = checkModelFits(version.adapter, info);
    if (fit.problems.length > 0) {
      await this.#pool.release(key);
      throw new ModelError(
        "adapter_mismatch",
        `model version ${id} does not fit its adapter: ${fit.problems.join("; ")}`,
        {
          modelVersionId: id,
          status: 422,
        },
      );
    }
    return {
      key,
      version,
      info,
      decoder,
      spec: adapterTensorSpec(version.adapter),
      labels: version.adapter.labels ?? version.labels,
      dynamicBatch: fit.dynamicBatch,
    };
  }

  /** Loads model versions ahead of their first request (on deploy). */
  async warm(modelVersionIds: readonly string[]): Promise<void> {
    await Promise.all(modelVersionIds.map((id) => this.#cache.use(VERSION_PREFIX + id, () => Promise.resolve())));
  }

  /** The loaded model version (loading it on first use). */
  async model(modelVersionId: string): Promise<LoadedModelVersion> {
    return this.#cache.use(VERSION_PREFIX + modelVersionId, (loaded) => Promise.resolve(loaded as LoadedModelVersion));
  }

  /** Releases a model version's sessions now, when it is not in use. */
  evict(modelVersionId: string): Promise<boolean> {
    return this.#cache.evict(VERSION_PREFIX + modelVersionId);
  }

  /** Runs a model version on one scope image. Concurrent calls for a batchable model share runs. */
  async predict(modelVersionId: string, image: ScopeImage): Promise<TaskPrediction> {
    const [prediction] = await this.predictMany(modelVersionId, [image]);
    return prediction as TaskPrediction;
  }

  /** Runs a model version on several scope images (one run per batch where the model allows). */
  async predictMany(modelVersionId: string, images: readonly ScopeImage[]): Promise<TaskPrediction[]> {
    return this.#cache.use(VERSION_PREFIX + modelVersionId, async (loaded) => {
      const model = loaded as LoadedModelVersion;
      const inputs = await Promise.all(images.map((image) => image.toTensor(model.spec)));
      const outputs = await Promise.all(
        inputs.map(({ tensor }) => this.#infer(model, tensor as Tensor & { data: Float32Array })),
      );
      return outputs.map((out, i) => this.#decode(model, out, (inputs[i] as (typeof inputs)[number]).transform));
    });
  }

  /**
   * Runs preprocessed inputs [1, ...] through a model version, batched where the model allows; one
   * output set per input. The inputs' buffers are handed to the worker (unusable afterwards).
   */
  async runBatch(
    modelVersionId: string,
    tensors: readonly (Tensor & { data: Float32Array })[],
  ): Promise<Record<string, Tensor>[]> {
    return this.#cache.use(VERSION_PREFIX + modelVersionId, (loaded) =>
      Promise.all(tensors.map((t) => this.#infer(loaded as LoadedModelVersion, t))),
    );
  }

  /** Runs a model file on disk with raw tensors (ModelHost.run for plugins); the feeds are copied. */
  async runFile(path: string, feeds: Record<string, Tensor>): Promise<Record<string, Tensor>> {
    return this.#cache.use(FILE_PREFIX + resolvePath(path), async (loaded) => {
      const { outputs } = await this.#pool.run(loaded.key, feeds, { copy: true }).catch((err: unknown) => {
        throw new ModelError("inference_failed", `running ${path} failed: ${(err as Error).message}`, { cause: err });
      });
      return outputs;
    });
  }

  #infer(model: LoadedModelVersion, tensor: Tensor & { data: Float32Array }): Promise<Record<string, Tensor>> {
    if (!model.dynamicBatch) return this.#run(model, tensor);
    return this.#batcher
      .submit(model.key, tensor, (batch) => this.#run(model, batch))
      .catch((err: unknown) => {
        if (err instanceof ModelError) throw err;
        throw new ModelError("inference_failed", `model version ${model.version.id}: ${(err as Error).message}`, {
          cause: err,
          modelVersionId: model.version.id,
        });
      });
  }

  async #run(model: LoadedModelVersion, tensor: Tensor): Promise<Record<string, Tensor>> {
    try {
      const { outputs } = await this.#pool.run(model.key, { [model.version.adapter.input]: tensor });
      return outputs;
    } catch (err) {
      if (err instanceof ModelError) throw err;
      throw new ModelError(
        "inference_failed",
        `model version ${model.version.id} failed to run: ${(err as Error).message}`,
        {
          cause: err,
          modelVersionId: model.version.id,
        },
      );
    }
  }

  #decode(
    model: LoadedModelVersion,
    outputs: Record<string, Tensor>,
    transform: (box: [number, number, number, number]) => [number, number, number, number],
  ): TaskPrediction {
    const { adapter, taskType } = model.version;
    let prediction: TaskPrediction;
    try {
      prediction = model.decoder.decode({
        outputs,
        params: adapter.decoder.params ?? {},
        labels: model.labels,
        taskType,
        transform,
        inputWidth: adapter.width,
        inputHeight: adapter.height,
      });
    } catch (err) {
      throw new ModelError(
        "decode_failed",
        `decoder "${model.decoder.id}" could not read the outputs of model version ${model.version.id}: ${(err as Error).message}`,
        { cause: err, modelVersionId: model.version.id },
      );
    }
    try {
      return checkDecodedPrediction(prediction, this.#decoders.describe(model.decoder.id));
    } catch (err) {
      throw new ModelError("invalid_prediction", `${(err as Error).message} (model version ${model.version.id})`, {
        cause: err,
        modelVersionId: model.version.id,
      });
    }
  }

  /** The ModelHost a node's context gets: tasks resolve to their active model version. */
  host(image: ScopeImage, resolveTask: TaskModelResolver): ModelHost {
    return {
      predict: async (taskId) => this.predict(await resolveTask(taskId), image),
      run: (model, feeds) => this.runFile(model.path, feeds),
    };
  }

  /** Releases every session and, when the runtime created its pool, stops the workers. */
  async close(): Promise<void> {
    await this.#cache.clear();
    if (this.#ownsPool) await this.#pool.close();
  }
}
