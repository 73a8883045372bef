import path from "node:path";
import { pathToFileURL } from "node:url";
import { getDatabase, LocalBlobStore, type Database } from "@vizflow/db";
import {
  DatabaseModelStore,
  engineConfigFromEnv,
  FlowEngine,
  guardedImageFetcher,
  installedPlugins,
  ModelRuntime,
  onnxImageRuntime,
} from "@vizflow/flow-engine";
import type { ActionRegistry } from "@vizflow/sdk";

/** The enabled plugins' actions, as the plugin loader found them (configuration and installed packages). */
export async function actionRegistry(): Promise<ActionRegistry> {
  return (await installedPlugins()).registry;
}

/** Where model files live in the embedded mode: `<VIZFLOW_DATA_DIR or ./.data>/blobs`. */
export function blobDirectory(): string {
  return path.resolve(process.env.VIZFLOW_DATA_DIR || "./.data", "blobs");
}

const ENGINES = Symbol.for("vizflow.engines");
type Holder = { [ENGINES]?: WeakMap<Database, Promise<FlowEngine>> };

function engines(): WeakMap<Database, Promise<FlowEngine>> {
  const holder = globalThis as Holder;
  holder[ENGINES] ??= new WeakMap();
  return holder[ENGINES];
}

// Next bundles this file; the worker script must be loaded from the package's own folder, where its
// `onnxruntime-node` import resolves, not from a copy in .next.
function workerUrl(): URL {
  return pathToFileURL(path.resolve("flow-engine/src/runtime/inference/inference-worker.mjs"));
}

async function createEngine(database: Database): Promise<FlowEngine> {
  const models = new ModelRuntime({
    store: new DatabaseModelStore(database.db, new LocalBlobStore(blobDirectory())),
    pool: { workerUrl: workerUrl() },
  });
  return new FlowEngine({
    registry: await actionRegistry(),
    runtime: onnxImageRuntime({ models }),
    // `_url` records of the HTTP API, behind the SSRF guard (VIZFLOW_FETCH_ALLOW relaxes it for tests).
    fetchImage: guardedImageFetcher({ allowedAddresses: engineConfigFromEnv().fetchAllow }),
  });
}

/**
 * The flow engine of a database, with the ONNX runtime, on `globalThis` so the editor's test runs (in
 * Next's bundles) and the embedded server's HTTP API share one engine and one inference worker pool.
 */
export function engineFor(database: Database): Promise<FlowEngine> {
  const map = engines();
  let engine = map.get(database);
  if (!engine) {
    engine = createEngine(database).catch((error: unknown) => {
      map.delete(database);
      throw error;
    });
    map.set(database, engine);
  }
  return engine;
}

/** Uses `engine` for `database` (tests: an engine over model files of their own). */
export function setEngine(database: Database, engine: FlowEngine): void {
  engines().set(database, Promise.resolve(engine));
}

/** The process-wide database's engine. */
export async function getEngine(): Promise<FlowEngine> {
  return engineFor(await getDatabase());
}
