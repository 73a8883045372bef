import path from "node:path";
import { pathToFileURL } from "node:url";
import { getDatabase } from "@vizflow/db";
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

/** Where model files live: `VIZFLOW_MODELS_DIR`, default `<VIZFLOW_DATA_DIR or ./.data>/blobs` (as the engine reads them). */
export function blobDirectory(): string {
  return engineConfigFromEnv().modelsDir;
}

// Next bundles this file; the worker script must be loaded from the package's own folder, where its
// `onnxruntime-node` import resolves, not from a copy in .next.
export function inferenceWorkerUrl(): URL {
  return pathToFileURL(path.resolve("flow-engine/src/runtime/inference/inference-worker.mjs"));
}

const ASSEMBLY = Symbol.for("vizflow.engine-assembly");
type Holder = { [ASSEMBLY]?: Promise<AssembledEngine> };

/**
 * The process-wide engine, assembled as the standalone engine server assembles its own (logger, metrics,
 * job worker, stale-hold sweeper, plugin decoders). On `globalThis` so the editor's test runs (in Next's
 * bundles) and the one-process server's HTTP API share one engine and one inference worker pool.
 */
export function getAssembledEngine(options: Pick<AssembleOptions, "write"> = {}): Promise<AssembledEngine> {
  const holder = globalThis as Holder;
  holder[ASSEMBLY] ??= getDatabase()
    .then((database) =>
      assembleEngine(engineConfigFromEnv(), database, {
        ...options,
        service: "vizflow-app",
        workerUrl: inferenceWorkerUrl(),
      }),
    )
    .catch((error: unknown) => {
      delete holder[ASSEMBLY];
      throw error;
    });
  return holder[ASSEMBLY];
}

/** The process-wide flow engine (see `getAssembledEngine`). */
export async function getEngine(): Promise<FlowEngine> {
  return (await getAssembledEngine()).engine;
}

/** Stops the process-wide engine's workers and timers (the one-process server's shutdown). */
export async function closeAssembledEngine(): Promise<void> {
  const holder = globalThis as Holder;
  const assembly = holder[ASSEMBLY];
  delete holder[ASSEMBLY];
  if (assembly) await (await assembly).close();
}
