/**
 * The standalone engine server: `pnpm --filter @vizflow/flow-engine start`. Stateless: any number of
 * them can run behind a load balancer on one PostgreSQL (`DATABASE_URL`), reading model files from
 * one S3-compatible bucket (`VIZFLOW_S3_BUCKET`) or a shared `VIZFLOW_MODELS_DIR`. Serves the same fetch handler the embedded app server mounts.
 */
import { pathToFileURL } from "node:url";
import { serve } from "@hono/node-server";
import { closeDatabase, describeBlobStorage, getDatabase } from "@vizflow/db";
import { jsonLogger } from "../http/logger.js";
import { closeGracefully } from "./close-gracefully.js";
import { assembleEngine, type AssembledEngine, type AssembleOptions } from "./assemble.js";
import { engineConfigFromEnv } from "./config.js";

export interface RunningEngineServer {
  url: string;
  /** What it serves (tests compare it with the one-process server's). */
  assembled: AssembledEngine;
  close(): Promise<void>;
}

export async function startEngineServer(
  env: NodeJS.ProcessEnv = process.env,
  options: Pick<AssembleOptions, "write"> = {},
): Promise<RunningEngineServer> {
  const config = engineConfigFromEnv(env);
  const database = await getDatabase();
  const assembled = await assembleEngine(config, database, { ...options, service: "vizflow-engine" });
  const { api } = assembled;

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
    models: describeBlobStorage(config.blobs, "models"),
    dialect: database.dialect,
  });
  return {
    url,
    assembled,
    async close() {
      // Draining first: calls that arrive meanwhile get 503 (not a refused connection), those in flight
      // finish and settle; then the port closes.
      await assembled.drain();
      await closeGracefully(server);
      await assembled.close();
      await closeDatabase();
    },
  };
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  startEngineServer().then(
    (running) => {
      let stopping = false;
      const stop = (signal: string) => {
        if (stopping) return;
        stopping = true;
        running.assembled.log.info("draining: new calls get 503, calls in flight finish", { signal });
        running.close().then(
          () => process.exit(0),
          () => process.exit(1),
        );
      };
      process.once("SIGINT", () => stop("SIGINT"));
      process.once("SIGTERM", () => stop("SIGTERM"));
    },
    (error: unknown) => {
      console.error(JSON.stringify({ level: "error", msg: "the engine could not start", error: String(error) }));
      process.exit(1);
    },
  );
}
