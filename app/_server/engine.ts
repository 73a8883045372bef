import path from "node:path";
import { pathToFileURL } from "node:url";
import { getDatabase, LocalBlobStore, type Database } from "@vizflow/db";
import {
  DatabaseModelStore,
  engineConfigFromEnv,
  FlowEngine,
  guardedImageFetcher,
  ModelRuntime,
  onnxImageRuntime,
} from "@vizflow/flow-engine";
import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry } from "@vizflow/sdk";

/** The enabled plugins' actions. One function, so the plugin loader can replace how it is built. */
export function actionRegistry(): ActionRegistry {
  const holder = globalThis as Holder;
  holder[REGISTRY] ??= new ActionRegistry([corePlugin]);
  return holder[REGISTRY];
}

/** Where model files live in the embedded mode: `<VIZFLOW_DATA_DIR or ./.data>/blobs`. */
export function blobDirectory(): string {
  return path.resolve(process.env.VIZFLOW_DATA_DIR || "./.data", "blobs");
}

const REGISTRY = Symbol.for("vizflow.registry");
const ENGINE = Symbol.for("vizflow.engine");
type Holder = { [REGISTRY]?: ActionRegistry; [ENGINE]?: Promise<FlowEngine> };

// Next bundles this file; the worker script must be loaded from the package's own folder, where its
// `onnxruntime-node` import resolves, not from a copy in .next.
function workerUrl(): URL {
  return pathToFileURL(path.resolve("flow-engine/src/runtime/inference/inference-worker.mjs"));
}

function createEngine(database: Database): FlowEngine {
  const models = new ModelRuntime({
    store: new DatabaseModelStore(database.db, new LocalBlobStore(blobDirectory())),
    pool: { workerUrl: workerUrl() },
  });
  return new FlowEngine({
    registry: actionRegistry(),
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
