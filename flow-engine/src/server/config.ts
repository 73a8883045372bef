/**
 * The engine's settings, read from the environment in this one place with a message for each bad value.
 * The standalone engine server and the app's one-process server read the same variables the same way.
 */
import { blobStorageFromEnv, type BlobStorage } from "@vizflow/db";
import { DEFAULT_LIMITS, type EngineLimits } from "../engine/engine.js";
import { DEFAULT_API_LIMITS, type ApiLimits } from "../http/api.js";
import { DEFAULT_PAYLOAD_TTL_SECONDS, type JobQueueOptions } from "../http/jobs.js";
import { DEFAULT_HOLD_LEASE_MS } from "../http/leases.js";
import { isLogLevel, type LogLevel } from "../http/logger.js";

export interface EngineServerConfig {
  port: number;
  host: string;
  /**
   * Model files, test images and queued payloads by sha256: local folders (`VIZFLOW_MODELS_DIR`,
   * `VIZFLOW_DATA_DIR`), or an S3-compatible bucket every engine reads (`VIZFLOW_S3_*`).
   */
  blobs: BlobStorage;
  /** Addresses exempt from the image-URL guard (`VIZFLOW_FETCH_ALLOW`, comma-separated; tests only). */
  fetchAllow: string[];
  logLevel: LogLevel;
  limits: ApiLimits;
  /**
   * The executor's limits set by configuration (records per request: `VIZFLOW_MAX_RECORDS`; decoded pixels
   * of one request's images: `VIZFLOW_MAX_REQUEST_MEGAPIXELS`).
   */
  engineLimits: Pick<EngineLimits, "maxRecordsPerRequest" | "maxPixelsPerRequest">;
  /**
   * Decoded images in flight in this process: `VIZFLOW_DECODE_BUDGET_MEGAPIXELS` (3 bytes of memory per
   * pixel) and how long a request waits for room before its 503 (`VIZFLOW_DECODE_WAIT_MS`).
   */
  pixelBudget: { megapixels: number; waitMs: number };
  /** `VIZFLOW_METRICS_TOKEN`: when set, `GET /metrics` needs `Authorization: Bearer <token>`. */
  metricsToken: string | undefined;
  /** Inference worker threads (default: the runtime's, sized to the cores). */
  inferenceWorkers: number | undefined;
  /** Consume async jobs in this process (`VIZFLOW_JOB_WORKER=0` to only enqueue). */
  jobWorker: boolean;
  jobs: JobQueueOptions;
  /**
   * `VIZFLOW_HOLD_LEASE_MS` (default 10,000): how long a running request's credit hold and idempotency claim
   * outlive a process that stopped renewing them (it died); every process releases lapsed holds this often.
   */
  holdLeaseMs: number;
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw.trim() === "") return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

/** Default decoded-pixel budget: 256 megapixels, about 770 MB of decoded RGB at once. */
export const DEFAULT_DECODE_BUDGET_MEGAPIXELS = 256;
/** Default per-request total: ten 12-megapixel photos fit. */
export const DEFAULT_MAX_REQUEST_MEGAPIXELS = 128;
export const DEFAULT_DECODE_WAIT_MS = 10_000;

/**
 * Requests in flight by default, from the pixel budget: one per 2 megapixels of it (128 for the default),
 * at least 8 and at most 256. Requests past the budget wait with their body read, so this bounds the queue.
 */
export function defaultMaxInFlight(budgetMegapixels: number): number {
  return Math.min(256, Math.max(8, Math.floor(budgetMegapixels / 2)));
}

export function engineConfigFromEnv(env: NodeJS.ProcessEnv = process.env): EngineServerConfig {
  const logLevel = env.VIZFLOW_LOG_LEVEL ?? "info";
  if (!isLogLevel(logLevel)) throw new Error(`VIZFLOW_LOG_LEVEL must be debug, info, warn or error, got "${logLevel}"`);
  const workers = env.VIZFLOW_INFERENCE_WORKERS;
  const budget = integer(env, "VIZFLOW_DECODE_BUDGET_MEGAPIXELS", DEFAULT_DECODE_BUDGET_MEGAPIXELS, 1, 1_000_000);
  const perRequest = integer(
    env,
    "VIZFLOW_MAX_REQUEST_MEGAPIXELS",
    Math.min(DEFAULT_MAX_REQUEST_MEGAPIXELS, budget),
    1,
    1_000_000,
  );
  if (perRequest > budget) {
    throw new Error(
      `VIZFLOW_MAX_REQUEST_MEGAPIXELS (${perRequest}) must not exceed VIZFLOW_DECODE_BUDGET_MEGAPIXELS (${budget}): such a request could never run`,
    );
  }
  const expireInSeconds = integer(env, "VIZFLOW_JOB_EXPIRE_SECONDS", 900, 1, 86_400);
  const payloadTtlSeconds = integer(
    env,
    "VIZFLOW_JOB_PAYLOAD_TTL_SECONDS",
    Math.max(DEFAULT_PAYLOAD_TTL_SECONDS, expireInSeconds * 2),
    60,
    30 * 86_400,
  );
  if (payloadTtlSeconds <= expireInSeconds) {
    throw new Error(
      `VIZFLOW_JOB_PAYLOAD_TTL_SECONDS (${payloadTtlSeconds}) must be longer than VIZFLOW_JOB_EXPIRE_SECONDS (${expireInSeconds}): a job's records would be deleted while it runs`,
    );
  }
  return {
    port: integer(env, "PORT", 8080, 0, 65535),
    host: env.HOST ?? "0.0.0.0",
    blobs: blobStorageFromEnv(env),
    fetchAllow: (env.VIZFLOW_FETCH_ALLOW ?? "")
      .split(",")
      .map((s) => s.trim())
      .filter((s) => s !== ""),
    logLevel,
    limits: {
      maxBodyBytes: integer(env, "VIZFLOW_MAX_BODY_BYTES", DEFAULT_API_LIMITS.maxBodyBytes, 1024, 2 ** 31),
      maxInFlight: integer(env, "VIZFLOW_MAX_IN_FLIGHT", defaultMaxInFlight(budget), 1, 100_000),
    },
    engineLimits: {
      maxRecordsPerRequest: integer(env, "VIZFLOW_MAX_RECORDS", DEFAULT_LIMITS.maxRecordsPerRequest, 1, 1000),
      maxPixelsPerRequest: perRequest * 1_000_000,
    },
    pixelBudget: {
      megapixels: budget,
      waitMs: integer(env, "VIZFLOW_DECODE_WAIT_MS", DEFAULT_DECODE_WAIT_MS, 0, 600_000),
    },
    metricsToken:
      env.VIZFLOW_METRICS_TOKEN === undefined || env.VIZFLOW_METRICS_TOKEN === ""
        ? undefined
        : env.VIZFLOW_METRICS_TOKEN,
    jobWorker: env.VIZFLOW_JOB_WORKER !== "0",
    holdLeaseMs: integer(env, "VIZFLOW_HOLD_LEASE_MS", DEFAULT_HOLD_LEASE_MS, 200, 3_600_000),
    jobs: {
      expireInSeconds,
      payloadTtlSeconds,
      retryLimit: integer(env, "VIZFLOW_JOB_RETRIES", 3, 0, 100),
      maintenanceIntervalSeconds: integer(env, "VIZFLOW_JOB_MAINTENANCE_SECONDS", 30, 1, 3600),
    },
    inferenceWorkers:
      workers === undefined || workers === "" ? undefined : integer(env, "VIZFLOW_INFERENCE_WORKERS", 1, 1, 256),
  };
}
