import path from "node:path";
import { pathToFileURL } from "node:url";
import { getDatabase, type BlobStorage, type Database } from "@vizflow/db";
import {
  assembleEngine,
  engineConfigFromEnv,
  installedPlugins,
  type AssembledEngine,
  type AssembleOptions,
  type FlowEngine,
} from "@vizflow/flow-engine";
import type { ActionRegistry } from "@vizflow/sdk";

/** The enabled plugins' actions, as the plugin loader found them (configuration and installed packages). */
export async function actionRegistry(): Promise<ActionRegistry> {
  return (await installedPlugins()).registry;
}

/**
 * Where blobs live, as the engine reads them: an S3-compatible bucket when `VIZFLOW_S3_BUCKET` is set, else
 * `VIZFLOW_MODELS_DIR` (default `<VIZFLOW_DATA_DIR or ./.data>/blobs`) and its neighbours.
 */
export function blobStorage(): BlobStorage {
  return engineConfigFromEnv().blobs;
}

// Next bundles this file; the worker script must be loaded from the package's own folder, where its
// `onnxruntime-node` import resolves, not from a copy in .next.
export function inferenceWorkerUrl(): URL {
  return pathToFileURL(path.resolve("flow-engine/src/runtime/inference/inference-worker.mjs"));
}

const ASSEMBLIES = Symbol.for("vizflow.engine-assemblies");
const OVERRIDES = Symbol.for("vizflow.engine-overrides");
type Holder = {
  [ASSEMBLIES]?: Map<Database, Promise<AssembledEngine>>;
  [OVERRIDES]?: WeakMap<Database, FlowEngine>;
};

function assemblies(): Map<Database, Promise<AssembledEngine>> {
  const holder = globalThis as Holder;
  holder[ASSEMBLIES] ??= new Map();
  return holder[ASSEMBLIES];
}

function overrides(): WeakMap<Database, FlowEngine> {
  const holder = globalThis as Holder;
  holder[OVERRIDES] ??= new WeakMap();
  return holder[OVERRIDES];
}

/**
 * The engine of a database, assembled as the standalone engine server assembles its own (logger, metrics,
 * job worker, stale-hold sweeper, plugin decoders). On `globalThis` so the editor's test runs (in Next's
 * bundles) and the one-process server's HTTP API share one engine and one inference worker pool.
 */
export function assemblyFor(
  database: Database,
  options: Pick<AssembleOptions, "write"> = {},
): Promise<AssembledEngine> {
  const map = assemblies();
  let assembly = map.get(database);
  if (!assembly) {
    assembly = assembleEngine(engineConfigFromEnv(), database, {
      ...options,
      service: "vizflow-app",
      workerUrl: inferenceWorkerUrl(),
    }).catch((error: unknown) => {
      map.delete(database);
      throw error;
    });
    map.set(database, assembly);
  }
  return assembly;
}

/** The process-wide database's assembled engine (the one-process server's `/v2/*`). */
export async function getAssembledEngine(options: Pick<AssembleOptions, "write"> = {}): Promise<AssembledEngine> {
  return assemblyFor(await getDatabase(), options);
}

/** The flow engine of a database (see `assemblyFor`), or the one a test set for it. */
export async function engineFor(database: Database): Promise<FlowEngine> {
  return overrides().get(database) ?? (await assemblyFor(database)).engine;
}

/** Uses `engine` for `database` (tests: an engine over model files of their own). */
export function setEngine(database: Database, engine: FlowEngine): void {
  overrides().set(database, engine);
}

/** The process-wide database's engine. */
export async function getEngine(): Promise<FlowEngine> {
  return engineFor(await getDatabase());
}

/**
 * Drains every assembled engine: new calls get 503, calls in flight and running job attempts finish and
 * settle (the one-process server's shutdown, before its port closes).
 */
export async function drainAssembledEngine(): Promise<void> {
  await Promise.all([...assemblies().values()].map(async (assembly) => (await assembly).drain()));
}

/** Drains and stops every assembled engine's workers and timers (the one-process server's shutdown). */
export async function closeAssembledEngine(): Promise<void> {
  const map = assemblies();
  const all = [...map.values()];
  map.clear();
  await Promise.all(all.map(async (assembly) => (await assembly).close()));
}
