import { errorResponse, ApiError, type FetchHandler } from "@vizflow/flow-engine";
import { getAssembledEngine } from "./engine";

/**
 * The engine's HTTP API in the one-process server: the same handler the standalone engine serves, from the
 * same assembly. `/metrics` is served here only behind `VIZFLOW_METRICS_TOKEN`: this port is the public app.
 */
export const embeddedEngineHandler: FetchHandler = async (request) => {
  const assembled = await getAssembledEngine();
  if (new URL(request.url).pathname === "/metrics" && assembled.config.metricsToken === undefined) {
    return errorResponse(
      new ApiError(404, "this server serves /metrics only when VIZFLOW_METRICS_TOKEN is set (then as a Bearer token)"),
    );
  }
  return assembled.api.fetch(request);
};
