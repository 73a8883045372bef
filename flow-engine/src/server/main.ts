/**
 * The standalone engine server: `pnpm --filter @vizflow/flow-engine start`. Stateless: any number of
 * them can run behind a load balancer on one PostgreSQL (`DATABASE_URL`), reading model files from
 * `VIZFLOW_MODELS_DIR`. Serves the same fetch handler the embedded app server mounts.
 */
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { closeDatabase, getDatabase, LocalBlobStore, releaseStaleCreditHolds } from "@vizflow/db";
import { FlowEngine } from "../engine/engine.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { createEngineApi } from "../http/api.js";
import { guardedImageFetcher } from "../http/fetch-image.js";
import { jsonLogger } from "../http/logger.js";
import { EngineMetrics } from "../http/metrics.js";
import { installedPlugins } from "../plugins/load-plugins.js";
import { ModelRuntime } from "../runtime/model-runtime.js";
import { DatabaseModelStore } from "../stores/database-model-store.js";
import { engineConfigFromEnv } from "./config.js";

/** Holds older than this belong to a request whose engine died; they are released unbilled. */
const STALE_HOLD_MS = 15 * 60_000;

export interface RunningEngineServer {
  url: string;
  close(): Promise<void>;
}

export async function startEngineServer(env: NodeJS.ProcessEnv = process.env): Promise<RunningEngineServer> {
  const config = engineConfigFromEnv(env);
  const log = jsonLogger({ level: config.logLevel, base: { service: "vizflow-engine", pid: process.pid } });
  const database = await getDatabase();
  const { registry } = await installedPlugins();
  const models = new ModelRuntime({
    store: new DatabaseModelStore(database.db, new LocalBlobStore(config.modelsDir)),
    ...(config.inferenceWorkers === undefined ? {} : { pool: { size: config.inferenceWorkers } }),
  });
  const engine = new FlowEngine({
    registry,
    runtime: onnxImageRuntime({ models }),
    fetchImage: guardedImageFetcher({ allowedAddresses: config.fetchAllow }),
    logger: log,
  });
  const metrics = new EngineMetrics({
    modelSessions: () => models.loadedKeys().filter((k) => k.startsWith("version:")).length,
  });
  const api = createEngineApi({ database, engine, logger: log, metrics, limits: config.limits, jobs: config.jobs });
  if (config.jobWorker) await api.jobs.work();

  const sweep = setInterval(() => {
    releaseStaleCreditHolds(database.db, new Date(Date.now() - STALE_HOLD_MS)).then(
      (released) => released > 0 && log.warn("released stale credit holds", { released }),
      (error: unknown) => log.error("could not release stale credit holds", { error: String(error) }),
    );
  }, 60_000);
  sweep.unref();

  const server = serve({ fetch: api.fetch, port: config.port, hostname: config.host });
  await new Promise<void>((resolve, reject) => {
    server.once("listening", resolve);
    server.once("error", reject);
  });
  const address = server.address();
  const port = typeof address === "object" && address !== null ? address.port : config.port;
  const url = `http://${config.host === "0.0.0.0" ? "127.0.0.1" : config.host}:${port}`;
  // Written whatever the level: supervisors (and tests) wait for this line to know the port.
  jsonLogger({ base: { service: "vizflow-engine", pid: process.pid } }).info("engine listening", {
    url,
    modelsDir: config.modelsDir,
    dialect: database.dialect,
  });
  return {
    url,
    async close() {
      clearInterval(sweep);
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await api.close();
      await models.close();
      await closeDatabase();
    },
  };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  startEngineServer().then(
    (running) => {
      let stopping = false;
      const stop = () => {
        if (stopping) return;
        stopping = true;
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    },
    (error: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "the engine could not start", error: String(error) }));
      process.exit(1);
    },
  );
}
