import { getDatabase } from "@vizflow/db";
import { createEngineApi, engineConfigFromEnv, type FetchHandler } from "@vizflow/flow-engine";
import { getEngine } from "./engine";

let api: Promise<FetchHandler> | undefined;

/**
 * The engine's HTTP API in the embedded default: the same handler as the standalone engine server, over
 * the process-wide database and engine (shared with the editor's test runs). Built on first request.
 */
export const embeddedEngineHandler: FetchHandler = async (request) => {
  api ??= Promise.all([getDatabase(), getEngine()])
    .then(async ([database, engine]) => {
      const config = engineConfigFromEnv();
      const created = createEngineApi({ database, engine, limits: config.limits, jobs: config.jobs });
      if (config.jobWorker) await created.jobs.work();
      return created.fetch;
    })
    .catch((error: unknown) => {
      api = undefined;
      throw error;
    });
  return (await api)(request);
};
