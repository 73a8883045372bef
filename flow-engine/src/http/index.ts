/** The engine's HTTP API of deployed flows, its image fetcher and its observability. */
export {
  createEngineApi,
  DEFAULT_API_LIMITS,
  type ApiLimits,
  type EngineApi,
  type EngineApiOptions,
  type FetchHandler,
} from "./api.js";
export { ApiError, errorResponse } from "./errors.js";
export { guardedImageFetcher, ImageFetchError, type FetchImageOptions } from "./fetch-image.js";
export { forbiddenAddressKind } from "./address-guard.js";
export { isLogLevel, jsonLogger, type JsonLoggerOptions, type LogLevel } from "./logger.js";
export { EngineMetrics } from "./metrics.js";
export { JobQueue, type JobQueueOptions, type JobView } from "./jobs.js";
export { DEFAULT_HOLD_LEASE_MS, LeaseKeeper } from "./leases.js";
export {
  prepareAndHold,
  processAndSettle,
  type DraftRun,
  type HeldRun,
  type MeteredRunDeps,
  type RunRequest,
} from "./metered-run.js";
export { responseSchema } from "./response-schema.js";
export { MAX_BODY_DEPTH, nestedDeeperThan } from "./request-body.js";
export { imageFieldNames, withoutImages } from "./stored-response.js";
