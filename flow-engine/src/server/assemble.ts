/**
 * The one place the engine is put together: plugins, model runtime with every decoder, executor, HTTP API,
 * job worker, stale-hold, expired-answer and expired-payload sweepers, logger and metrics. The standalone
 * engine server and the app's one-process server both call `assembleEngine`, so one configuration means the
 * same in both modes.
 */
import { openBlobStore, releaseLapsedCreditHolds, sweepExpiredApiRequests, type Database } from "@vizflow/db";
import type { ActionRegistry, Logger } from "@vizflow/sdk";
import { FlowEngine } from "../engine/engine.js";
import { PixelBudget } from "../engine/pixel-budget.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { createEngineApi, type EngineApi } from "../http/api.js";
import { guardedImageFetcher } from "../http/fetch-image.js";
import { jsonLogger } from "../http/logger.js";
import { EngineMetrics } from "../http/metrics.js";
import { disabledPluginLine, installedPlugins, type LoadedPlugins } from "../plugins/load-plugins.js";
import { DecoderRegistry } from "../runtime/decoders/registry.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { DatabaseModelStore } from "../stores/database-model-store.js";
import type { EngineServerConfig } from "./config.js";

/** How often every process deletes expired stored answers. */
const EXPIRED_ANSWERS_EVERY_MS = 60_000;

export interface AssembleOptions {
  /**
   * Where the inference worker script loads from. The app passes the package's own file: Next bundles the
   * app, and the worker's `onnxruntime-node` import must resolve from the package's folder.
   */
  workerUrl?: URL;
  /** The `service` field of every log line (`vizflow-engine`, `vizflow-app`). */
  service: string;
  /** The plugins to run (default: the installed ones, from configuration). */
  plugins?: LoadedPlugins;
  /** Where log lines go (default stdout). */
  write?: (line: string) => void;
}

export interface AssembledEngine {
  readonly config: EngineServerConfig;
  readonly log: Logger;
  readonly registry: ActionRegistry;
  /** Every decoder a model version may name: the built-in ones and the plugins'. */
  readonly decoders: DecoderRegistry;
  readonly models: ModelRuntime;
  readonly engine: FlowEngine;
  readonly api: EngineApi;
  /**
   * Releases now the holds whose lease lapsed before `now` (their process died) and those of jobs that
   * failed or went away; the sweeper does it once per lease in every process.
   */
  sweepStaleHolds(now?: Date): Promise<number>;
  /** Stops accepting calls and waits for those in flight and the running job attempts to settle. */
  drain(): Promise<void>;
  /**
   * Drains, then stops the sweeper, the job queue and the inference workers (the database stays open: it
   * is the caller's).
   */
  close(): Promise<void>;
}

/** A model runtime over the configured model store with the plugins' decoders, for uses beside the engine's own. */
export function assembleModelRuntime(
  config: Pick<EngineServerConfig, "blobs">,
  database: Database,
  plugins: LoadedPlugins,
  options: { workerUrl?: URL; poolSize?: number; cacheSize?: number } = {},
): ModelRuntime {
  const pool = {
    ...(options.poolSize === undefined ? {} : { size: options.poolSize }),
    ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
  };
  return new ModelRuntime({
    store: new DatabaseModelStore(database.db, openBlobStore(config.blobs, "models")),
    decoders: DecoderRegistry.withPlugins(plugins.definitions, plugins.disabled),
    pool,
    ...(options.cacheSize === undefined ? {} : { cacheSize: options.cacheSize }),
  });
}

export async function assembleEngine(
  config: EngineServerConfig,
  database: Database,
  options: AssembleOptions,
): Promise<AssembledEngine> {
  const log = jsonLogger({
    level: config.logLevel,
    base: { service: options.service, pid: process.pid },
    ...(options.write === undefined ? {} : { write: options.write }),
  });
  const plugins = options.plugins ?? (await installedPlugins());
  // A refused plugin does not stop the rest; each says once, in this process's log, why it is off.
  for (const disabled of plugins.disabled) {
    log.error(disabledPluginLine(disabled), {
      plugin: disabled.plugin,
      ...(disabled.name === undefined ? {} : { pluginName: disabled.name }),
      reason: disabled.reason,
    });
  }
  const models = assembleModelRuntime(config, database, plugins, {
    ...(options.workerUrl === undefined ? {} : { workerUrl: options.workerUrl }),
    ...(config.inferenceWorkers === undefined ? {} : { poolSize: config.inferenceWorkers }),
  });
  // One budget per process: every request, job and test run this engine serves decodes within it.
  const pixelBudget = new PixelBudget({
    capacity: config.pixelBudget.megapixels * 1_000_000,
    maxWaitMs: config.pixelBudget.waitMs,
    maxWaiting: config.limits.maxInFlight,
  });
  const engine = new FlowEngine({
    registry: plugins.registry,
    runtime: onnxImageRuntime({ models }),
    // `_url` records, behind the SSRF guard (VIZFLOW_FETCH_ALLOW relaxes it for tests).
    fetchImage: guardedImageFetcher({ allowedAddresses: config.fetchAllow }),
    logger: log,
    limits: config.engineLimits,
    pixelBudget,
  });
  const metrics = new EngineMetrics({
    modelSessions: () => models.loadedKeys().filter((k) => k.startsWith("version:")).length,
  });
  const api = createEngineApi({
    database,
    engine,
    logger: log,
    metrics,
    limits: config.limits,
    jobs: config.jobs,
    // Queued records go to the blob store (encrypted, a key per job), never into the job row.
    payloads: openBlobStore(config.blobs, "job-payloads"),
    holdLeaseMs: config.holdLeaseMs,
    ...(config.metricsToken === undefined ? {} : { metricsToken: config.metricsToken }),
  });
  // Queued records past their lifetime (a crash before this start left them) go now, then periodically.
  await api.jobs.sweepExpiredPayloads();
  if (config.jobWorker) await api.jobs.work();

  const sweepStaleHolds = async (now?: Date) => {
    // This process's own requests are alive whatever their lease says (after a stall of the event loop
    // this timer may fire before the renewal's): renewed first, and never released here.
    await api.leases.renew();
    const lapsed = await releaseLapsedCreditHolds(database.db, now, api.leases.kept);
    if (lapsed > 0) log.warn("released the credit holds of requests whose process stopped renewing them", { lapsed });
    return lapsed + (await api.jobs.releaseFinishedJobHolds());
  };
  // Every process releases lapsed holds once per lease, whichever process placed them.
  const sweep = setInterval(() => {
    sweepStaleHolds().catch((error: unknown) =>
      log.error("could not release lapsed credit holds", { error: String(error) }),
    );
  }, config.holdLeaseMs);
  sweep.unref();
  // Stored answers and idempotency keys older than 24 h (they are ignored already; this frees the rows).
  const expiredAnswers = setInterval(() => {
    sweepExpiredApiRequests(database.db).catch((error: unknown) =>
      log.error("could not delete expired stored answers", { error: String(error) }),
    );
  }, EXPIRED_ANSWERS_EVERY_MS);
  expiredAnswers.unref();

  return {
    config,
    log,
    registry: plugins.registry,
    decoders: models.decoders,
    models,
    engine,
    api,
    sweepStaleHolds,
    drain: () => api.drain(),
    async close() {
      await api.drain();
      clearInterval(sweep);
      clearInterval(expiredAnswers);
      await api.close();
      await models.close();
    },
  };
}
