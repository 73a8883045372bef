/**
 * The engine's HTTP API as one fetch-style handler: served by the standalone engine server and, in the
 * embedded default, by the app's own server entry, so both run the same code.
 */
import { createHash, randomUUID, timingSafeEqual } from "node:crypto";
import {
  authenticateApiKey,
  claimIdempotencyKey,
  findApiRequest,
  markFlowCalled,
  releaseApiRequest,
  settleCreditHold,
  storeApiResponse,
  API_REQUEST_TTL_MS,
  type BlobStore,
  type Database,
  type StoredApiRequest,
} from "@vizflow/db";
import type { Logger } from "@vizflow/sdk";
import { Hono, type Context } from "hono";
import { bodyLimit } from "hono/body-limit";
import { TooManyRecordsError, type FlowEngine } from "../engine/engine.js";
import type { Workspace } from "../engine/sources.js";
import { databaseWorkspace } from "../stores/database-workspace.js";
import { ApiError, errorResponse, JSON_CONTENT_TYPE, jsonResponse } from "./errors.js";
import { jsonLogger } from "./logger.js";
import { JobQueue, type JobQueueOptions } from "./jobs.js";
import { DEFAULT_HOLD_LEASE_MS, LeaseKeeper } from "./leases.js";
import { prepareAndHold, processAndSettle, type MeteredRunDeps } from "./metered-run.js";
import { EngineMetrics } from "./metrics.js";
import { idempotencyKeyOf, parseJsonObject, requestHash } from "./request-body.js";
import { responseSchema } from "./response-schema.js";
import { imageFieldNames, withoutImages } from "./stored-response.js";

/** Limits of the HTTP layer; records per request are the engine's (`FlowEngine.limits`), one limit for both. */
export interface ApiLimits {
  /** Bytes of one request body (default 64 MiB: ten 4.5 MiB photos in base64, and room). */
  maxBodyBytes: number;
  /** Processing requests answered at once by this process; more get 429 (default 256). */
  maxInFlight: number;
}

export const DEFAULT_API_LIMITS: ApiLimits = {
  maxBodyBytes: 64 * 1024 * 1024,
  maxInFlight: 256,
};

export interface EngineApiOptions {
  database: Database;
  engine: FlowEngine;
  logger?: Logger;
  metrics?: EngineMetrics;
  limits?: Partial<ApiLimits>;
  /** The engine's view of a workspace; default: the database. */
  workspace?: (workspaceId: string) => Workspace;
  /** Async jobs (`?async=true`); the queue starts on first use, workers with `jobs.work()`. */
  jobs?: JobQueueOptions;
  /**
   * Where queued jobs' records go, encrypted with a key per job (the assembly's `job-payloads` store): never
   * into the job row, so no image enters the database or its write-ahead log.
   */
  payloads: BlobStore;
  /** When set, `GET /metrics` answers only `Authorization: Bearer <metricsToken>`. */
  metricsToken?: string;
  /** The lease of running requests' holds and claims, renewed while they run (default 10 s). */
  holdLeaseMs?: number;
  /** Serialises response bodies (default `JSON.stringify`; tests make it fail). */
  serialize?: (body: unknown) => string;
  /** The clock of stored answers and idempotency keys (default: now; tests move it). */
  now?: () => Date;
}

export type FetchHandler = (request: Request) => Promise<Response>;

export interface EngineApi {
  fetch: FetchHandler;
  metrics: EngineMetrics;
  deps: MeteredRunDeps;
  jobs: JobQueue;
  leases: LeaseKeeper;
  /**
   * Stops accepting calls (new ones get 503 with Retry-After) and waits for those in flight and the running
   * job attempts to finish and settle. The health check says 503 meanwhile, so a balancer stops sending.
   */
  drain(): Promise<void>;
  /** Drains, then stops the job queue and the lease renewal (the database stays open: it belongs to the caller). */
  close(): Promise<void>;
}

/** Compares a presented secret with the expected one in constant time (both hashed to one length). */
function sameSecret(presented: string | undefined, expected: string): boolean {
  const digest = (value: string) => createHash("sha256").update(value).digest();
  return presented !== undefined && timingSafeEqual(digest(presented), digest(expected));
}

/** Flows' last-called time is refreshed at most this often per flow and process. */
const MARK_CALLED_EVERY_MS = 10_000;

export function createEngineApi(options: EngineApiOptions): EngineApi {
  const limits = { ...DEFAULT_API_LIMITS, ...options.limits };
  const db = options.database.db;
  const log = options.logger ?? jsonLogger();
  const metrics = options.metrics ?? new EngineMetrics();
  const leases = new LeaseKeeper(db, log, options.holdLeaseMs ?? DEFAULT_HOLD_LEASE_MS);
  const deps: MeteredRunDeps = {
    db,
    engine: options.engine,
    workspace: options.workspace ?? ((id) => databaseWorkspace(db, id)),
    log,
    metrics,
    leases,
  };
  const jobs = new JobQueue(options.database, deps, options.payloads, options.jobs);
  const lastMarked = new Map<string, number>();
  const serialize = options.serialize ?? ((body: unknown) => JSON.stringify(body));
  const now = options.now ?? (() => new Date());
  let inFlight = 0;
  let draining: Promise<void> | undefined;
  /** Resolves the drain once the last call in flight ended. */
  let idle: (() => void) | undefined;

  async function authenticate(c: ApiContext): Promise<{ tokenId: string; workspaceId: string }> {
    const header = c.req.header("authorization");
    if (header === undefined || header.trim() === "") {
      throw new ApiError(401, "missing API token: send the header Authorization: Token <key>");
    }
    const match = /^(token|bearer)\s+(\S+)\s*$/i.exec(header.trim());
    if (!match?.[2]) {
      throw new ApiError(401, "malformed Authorization header: expected Token <key> or Bearer <key>");
    }
    const token = await authenticateApiKey(db, match[2]);
    if (!token) throw new ApiError(401, "invalid API token: it does not exist or was revoked");
    return { tokenId: token.id, workspaceId: token.workspaceId };
  }

  async function readJson(c: ApiContext): Promise<Record<string, unknown>> {
    return parseJsonObject(await c.req.text());
  }

  function recordsOf(body: Record<string, unknown>): unknown[] {
    const records = body.records;
    if (!Array.isArray(records))
      throw new ApiError(400, "records must be an array of records ({ _url } or { _base64 })");
    if (records.length === 0) throw new ApiError(400, "records is empty: send at least one record");
    const { maxRecordsPerRequest } = options.engine.limits;
    if (records.length > maxRecordsPerRequest) {
      throw new ApiError(413, new TooManyRecordsError(records.length, maxRecordsPerRequest).message);
    }
    return records;
  }

  function versionOf(body: Record<string, unknown>): number | "deployed" {
    const version = body.version;
    if (version === undefined || version === null) return "deployed";
    if (typeof version !== "number" || !Number.isInteger(version) || version < 1) {
      throw new ApiError(400, "version must be a whole number from 1 (or left out for the deployed version)");
    }
    return version;
  }

  function markCalled(workspaceId: string, flowId: string): void {
    const now = Date.now();
    if (now - (lastMarked.get(flowId) ?? 0) < MARK_CALLED_EVERY_MS) return;
    lastMarked.set(flowId, now);
    markFlowCalled(db, workspaceId, flowId).catch((error: unknown) =>
      log.warn("could not record the flow's last call", { flowId, error: (error as Error).message }),
    );
  }

  /** A stored answer as it first went out (status, body, request id), marked as a replay. */
  function replay(c: ApiContext, stored: StoredApiRequest): Response {
    c.set("requestId", stored.id);
    c.set("replayed", true);
    return new Response(stored.body ?? "{}", {
      status: stored.status ?? 200,
      headers: { "content-type": JSON_CONTENT_TYPE, "x-request-id": stored.id, "idempotent-replayed": "true" },
    });
  }

  /**
   * Claims `key` for the call `id`. When another call holds it: its answer replayed (same body), 422
   * (another body) or 409 (still running; the client retries to get its answer).
   */
  async function claim(
    c: ApiContext,
    id: string,
    workspaceId: string,
    key: string,
    bodyHash: string,
  ): Promise<Response | undefined> {
    const claimed = await claimIdempotencyKey(db, { id, workspaceId, key, bodyHash, leaseMs: leases.leaseMs }, now());
    if (claimed.claimed) return undefined;
    const { existing } = claimed;
    if (existing.bodyHash !== bodyHash) {
      throw new ApiError(
        422,
        `this Idempotency-Key was already used in the last 24 hours for a request with another body or endpoint (request ${existing.id}); use a new key for a new request`,
        { request_id: existing.id },
      );
    }
    if (existing.state === "running") {
      throw new ApiError(
        409,
        `a request with this Idempotency-Key is still running (request ${existing.id}); retry shortly to get its answer`,
        { request_id: existing.id },
        { "retry-after": "1" },
      );
    }
    return replay(c, existing);
  }

  async function processFlow(c: ApiContext, flowIdFromPath: string | undefined): Promise<Response> {
    if (draining) {
      throw new ApiError(
        503,
        "the engine is shutting down; retry on another engine or shortly",
        {},
        {
          "retry-after": "1",
        },
      );
    }
    if (inFlight >= limits.maxInFlight) {
      throw new ApiError(429, `the engine is busy (${limits.maxInFlight} requests in progress); retry shortly`, {});
    }
    inFlight++;
    metrics.inFlight.inc();
    // The hold and the claim, both under the request id, are renewed until the call ends.
    const unkeep = leases.keep(c.get("requestId"));
    try {
      const token = await authenticate(c);
      const key = idempotencyKeyOf(c.req.header("idempotency-key"));
      const body = await readJson(c);
      let flowId = flowIdFromPath;
      if (flowId === undefined) {
        if (typeof body.flow !== "string" || body.flow === "") throw new ApiError(400, "flow must be the id of a flow");
        flowId = body.flow;
      }
      const records = recordsOf(body);
      const isAsync = c.req.query("async") === "true";
      const request = {
        id: c.get("requestId"),
        workspaceId: token.workspaceId,
        tokenId: token.tokenId,
        flowId,
        version: versionOf(body),
        records,
      };
      c.set("workspaceId", token.workspaceId);
      c.set("flowId", flowId);
      if (key !== undefined) {
        const replayed = await claim(
          c,
          request.id,
          token.workspaceId,
          key,
          requestHash(`${c.req.path}?async=${isAsync}`, body),
        );
        if (replayed) return replayed;
      }
      // Until the answer is stored (and, async, the job queued), a failure removes the call's row: nothing
      // was billed, and its key may be used again.
      let written = key !== undefined;
      let keep = false;
      const store = async (status: number, text: string) => {
        written = true;
        await storeApiResponse(db, { id: request.id, workspaceId: token.workspaceId, status, body: text }, now());
      };
      try {
        const held = await prepareAndHold(deps, request);
        if (isAsync) {
          const accepted = serialize({
            job_id: request.id,
            status: {
              code: 202,
              text: `queued: GET /v2/jobs/${request.id} for its state and, when done, its response`,
            },
          });
          try {
            // Stored before it is queued: a job is never billed for an answer the client cannot get again.
            await store(202, accepted);
            await jobs.enqueue(held);
          } catch (error) {
            await settleCreditHold(db, request.id, 0, {
              id: request.id,
              workspaceId: request.workspaceId,
              flowId,
              flowVersion: held.prepared.version,
              tokenId: request.tokenId,
              records: records.length,
              status: 500,
              latencyMs: performance.now() - held.started,
            });
            throw error;
          }
          keep = true;
          markCalled(token.workspaceId, flowId);
          return new Response(accepted, { status: 202, headers: { "content-type": JSON_CONTENT_TYPE } });
        }
        // The answer is serialised and stored before the hold settles: a call is billed only once its
        // answer exists, and a client that loses it gets it again by its key or request id.
        const { result, answer } = await processAndSettle(deps, held, c.req.raw.signal, async (result) => {
          const response = { ...result, status: { code: 200, text: "OK" } };
          const text = serialize(response);
          await store(200, serialize(withoutImages(response, imageFieldNames(held.prepared.plan))));
          keep = true;
          return text;
        });
        markCalled(token.workspaceId, flowId);
        for (const record of result.records) {
          metrics.records.inc({ status_class: `${Math.floor(record._status.code / 100)}xx` });
        }
        c.set("credits", result.statistics.credits);
        c.set("records", records.length);
        return new Response(answer, { status: 200, headers: { "content-type": JSON_CONTENT_TYPE } });
      } catch (error) {
        if (written && !keep) {
          await releaseApiRequest(db, request.id).catch((releaseError: unknown) =>
            log.warn("could not release the request's idempotency key", {
              requestId: request.id,
              error: (releaseError as Error).message,
            }),
          );
        }
        throw error;
      }
    } finally {
      unkeep();
      inFlight--;
      metrics.inFlight.dec();
      if (inFlight === 0) idle?.();
    }
  }

  const app = new Hono<{ Variables: RequestVariables }>();

  app.use(async (c, next) => {
    const started = performance.now();
    c.set("requestId", randomUUID());
    await next();
    // Every answer says which request it is (a replay: the request whose answer it is).
    if (!c.res.headers.has("x-request-id")) c.res.headers.set("x-request-id", c.get("requestId"));
    const route = c.req.routePath;
    const seconds = (performance.now() - started) / 1000;
    metrics.requests.inc({ route, status: String(c.res.status) });
    metrics.latency.observe({ route }, seconds);
    if (route === "/metrics" || route === "/healthz") return;
    log.info("request", {
      method: c.req.method,
      path: c.req.path,
      status: c.res.status,
      ms: Math.round(seconds * 1000 * 10) / 10,
      requestId: c.get("requestId"),
      workspaceId: c.get("workspaceId"),
      flowId: c.get("flowId"),
      records: c.get("records"),
      credits: c.get("credits"),
      ...(c.get("replayed") ? { replayed: true } : {}),
    });
  });

  const limitBody = bodyLimit({
    maxSize: limits.maxBodyBytes,
    onError: () =>
      errorResponse(new ApiError(413, `the request body is larger than the limit of ${limits.maxBodyBytes} bytes`)),
  });

  app.get("/healthz", () =>
    draining ? jsonResponse(503, { status: "shutting down" }) : jsonResponse(200, { status: "ok" }),
  );
  app.get("/metrics", async (c) => {
    if (
      options.metricsToken !== undefined &&
      !sameSecret(c.req.header("authorization"), `Bearer ${options.metricsToken}`)
    ) {
      throw new ApiError(401, "GET /metrics needs Authorization: Bearer <VIZFLOW_METRICS_TOKEN>");
    }
    return new Response(await metrics.text(), { headers: { "content-type": metrics.contentType } });
  });
  app.post("/v2/flows/:flowId/process", limitBody, (c) => processFlow(c, c.req.param("flowId")));
  app.post("/v2/process", limitBody, (c) => processFlow(c, undefined));
  app.get("/v2/flows/:flowId/schema", async (c) => {
    const token = await authenticate(c);
    const flowId = c.req.param("flowId");
    const versionParam = c.req.query("version");
    const version = versionParam === undefined ? "deployed" : Number(versionParam);
    if (version !== "deployed" && (!Number.isInteger(version) || version < 1)) {
      throw new ApiError(400, "version must be a whole number from 1");
    }
    let prepared;
    try {
      prepared = await options.engine.prepare(deps.workspace(token.workspaceId), { flowId, version });
    } catch (error) {
      if ((error as { status?: unknown }).status === 404) {
        throw new ApiError(404, `${(error as Error).message} in the workspace of this API token`);
      }
      throw error;
    }
    return jsonResponse(200, responseSchema(prepared.plan, { flowId, version: prepared.version ?? 0 }));
  });

  app.get("/v2/jobs/:jobId", async (c) => {
    const token = await authenticate(c);
    const job = await jobs.status(token.workspaceId, c.req.param("jobId"));
    if (!job) throw new ApiError(404, `job ${c.req.param("jobId")} does not exist in the workspace of this API token`);
    if (job.response) return jsonResponse(200, { job: { id: job.id, state: job.state }, ...job.response });
    if (job.state === "failed" || job.state === "cancelled") {
      return jsonResponse(200, {
        job: { id: job.id, state: job.state },
        status: {
          code: 500,
          text: `the job ${job.state === "failed" ? "failed" : "was cancelled"} and was billed nothing: ${job.error ?? "no reason was recorded"}`,
        },
      });
    }
    return jsonResponse(200, { job: { id: job.id, state: job.state }, status: { code: 202, text: "not done yet" } });
  });

  app.get("/v2/requests/:requestId", async (c) => {
    const token = await authenticate(c);
    const id = c.req.param("requestId");
    const found = await findApiRequest(db, token.workspaceId, id, now());
    if (!found) {
      throw new ApiError(
        404,
        `request ${id} does not exist in the workspace of this API token, or is more than 24 hours old`,
      );
    }
    const request = {
      id: found.id,
      state: found.state,
      created_at: found.createdAt.toISOString(),
      expires_at: new Date(found.createdAt.getTime() + API_REQUEST_TTL_MS).toISOString(),
    };
    if (found.state === "running" || found.body === undefined) {
      return jsonResponse(202, { request, status: { code: 202, text: "still running; ask again shortly" } });
    }
    return jsonResponse(200, { request, ...(JSON.parse(found.body) as Record<string, unknown>) });
  });

  app.notFound((c) =>
    errorResponse(new ApiError(404, `${c.req.method} ${c.req.path} is not an endpoint of the Vizflow engine API`)),
  );
  app.onError((error, c) => {
    if (error instanceof ApiError) return errorResponse(error);
    log.error("request failed", {
      method: c.req.method,
      path: c.req.path,
      requestId: c.get("requestId"),
      error: error instanceof Error ? (error.stack ?? error.message) : String(error),
    });
    return errorResponse(new ApiError(500, "the engine failed on this request; it is logged, try again"));
  });

  function drain(): Promise<void> {
    draining ??= (async () => {
      if (inFlight > 0) await new Promise<void>((resolve) => (idle = resolve));
      await jobs.stop(true);
    })();
    return draining;
  }

  return {
    fetch: async (request) => app.fetch(request),
    metrics,
    deps,
    jobs,
    leases,
    drain,
    async close() {
      await drain();
      await jobs.stop();
      leases.stop();
    },
  };
}

type ApiContext = Context<{ Variables: RequestVariables }>;

interface RequestVariables {
  requestId: string;
  /** The answer is a stored one, replayed for an `Idempotency-Key`. */
  replayed: boolean;
  workspaceId: string;
  flowId: string;
  records: number;
  credits: number;
}
