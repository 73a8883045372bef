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

const ENGINE = Symbol.for("vizflow.engine");
type Holder = { [ENGINE]?: Promise<FlowEngine> };

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
 * The process-wide flow engine with the ONNX runtime, on `globalThis` so the editor's test runs (in
 * Next's bundles) and the embedded server's HTTP API share one engine and one inference worker pool.
 */
export function getEngine(): Promise<FlowEngine> {
  const holder = globalThis as Holder;
  holder[ENGINE] ??= getDatabase()
    .then(createEngine)
    .catch((error: unknown) => {
      delete holder[ENGINE];
      throw error;
    });
  return holder[ENGINE];
}
