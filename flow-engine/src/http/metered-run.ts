/**
 * Running a deployed flow for a caller, billed exactly: prepare the flow, hold its worst case for the
 * records in the database, process, then settle to what ran (releasing the rest) and write the usage
 * row. Shared by synchronous requests, async jobs and the editor's test runs, so all bill the same way.
 */
import { placeCreditHold, settleCreditHold, UNRENEWED_HOLD_LEASE_MS, type Database } from "@vizflow/db";
import { GraphValidationError, type Logger } from "@vizflow/sdk";
import type { FlowEngine, PreparedFlow, ProcessResult } from "../engine/engine.js";
import { FlowNotFoundError } from "../engine/errors.js";
import { PixelBudgetBusyError, RequestPixelsError } from "../engine/pixel-budget.js";
import type { Workspace } from "../engine/sources.js";
import { ApiError } from "./errors.js";
import type { LeaseKeeper } from "./leases.js";
import type { EngineMetrics } from "./metrics.js";

export interface MeteredRunDeps {
  db: Database["db"];
  engine: FlowEngine;
  /** The engine's view of a workspace (database-backed in production). */
  workspace: (workspaceId: string) => Workspace;
  log: Logger;
  /** The engine API's metrics; absent where there are none (the app's test runs). */
  metrics?: EngineMetrics;
  /**
   * Renews the leases of running requests' holds (the caller keeps each request's id while it runs);
   * absent, holds get the 15-minute lease of holds nobody renews.
   */
  leases?: LeaseKeeper;
}

/** A test run: the editor's draft graph runs (in debug mode, with traces) instead of a saved version. */
export interface DraftRun {
  graph: unknown;
  /** The member running it, kept on the usage row. */
  userId: string;
}

export interface RunRequest {
  /** Unique per request or job: the hold's and the usage row's id. */
  id: string;
  workspaceId: string;
  tokenId: string | undefined;
  flowId: string;
  version: number | "deployed";
  records: readonly unknown[];
  /** Set for a test run; its usage row is marked "test_run". */
  draft?: DraftRun;
}

export interface HeldRun {
  request: RunRequest;
  workspace: Workspace;
  prepared: PreparedFlow;
  held: number;
  started: number;
}

/**
 * Prepares the flow and holds its worst case.
 * @throws ApiError 404 (no such flow or version in the workspace), 422 (the saved flow or the draft does
 *   not validate, carrying `problems`, or its cost has no bound), 402 (the balance does not cover the hold;
 *   carries `balance` and `required`).
 */
export async function prepareAndHold(deps: MeteredRunDeps, request: RunRequest): Promise<HeldRun> {
  const started = performance.now();
  const workspace = deps.workspace(request.workspaceId);
  const { draft } = request;
  let prepared: PreparedFlow;
  try {
    prepared = await deps.engine.prepare(
      workspace,
      draft ? { graph: draft.graph, flowId: request.flowId } : { flowId: request.flowId, version: request.version },
    );
  } catch (error) {
    if (error instanceof FlowNotFoundError) {
      throw new ApiError(404, `${error.message} in the workspace of this API token`);
    }
    if (error instanceof GraphValidationError) {
      const what = draft ? "the draft" : "the flow's saved version";
      throw new ApiError(422, `${what} cannot run: ${error.message}`, { problems: error.problems });
    }
    throw error;
  }
  const worst = prepared.worstCaseCredits * request.records.length;
  if (!Number.isFinite(worst)) {
    throw new ApiError(
      422,
      "the flow's cost has no upper bound (an object fan-out without a maximum count); set max objects on its Object Selector",
    );
  }
  const hold = await placeCreditHold(
    deps.db,
    request.workspaceId,
    request.id,
    worst,
    deps.leases?.leaseMs ?? UNRENEWED_HOLD_LEASE_MS,
  );
  if (!hold.ok) {
    throw new ApiError(
      402,
      `not enough credits: this request may cost up to ${worst} credits (${prepared.worstCaseCredits} per record) and the workspace has ${hold.balance} left this period`,
      { balance: hold.balance, required: worst },
    );
  }
  return { request, workspace, prepared, held: worst, started };
}

/** The engine's refusals before anything ran, as the API answers them; undefined for anything else. */
function refusal(error: unknown): ApiError | undefined {
  if (error instanceof PixelBudgetBusyError) {
    return new ApiError(503, error.message, {}, { "retry-after": String(error.retryAfterSeconds) });
  }
  if (error instanceof RequestPixelsError) {
    return new ApiError(413, error.message, { pixels: error.pixels, max_pixels: error.limit });
  }
  return undefined;
}

/**
 * Processes the records, produces the answer (`answer`, e.g. the serialised and stored response) and only
 * then settles the hold: when processing or answering throws, nothing is billed (the hold is released,
 * the usage row says 500; with `keepHoldOnFailure`, the hold stays for the next attempt of a job, which
 * decides itself when it has failed for good). Returns false as `settled` when another run already
 * settled this id.
 * @throws ApiError 503 with `Retry-After` (no room in the process's pixel budget in time) or 413 (the
 *   images decode to more pixels than a request may); the hold is released, nothing is billed.
 */
export async function processAndSettle<T = undefined>(
  deps: MeteredRunDeps,
  run: HeldRun,
  signal?: AbortSignal,
  answer?: (result: ProcessResult) => T | Promise<T>,
  options: { waitForPixels?: boolean; keepHoldOnFailure?: boolean } = {},
): Promise<{ result: ProcessResult; settled: boolean; answer: T }> {
  const { request } = run;
  let result: ProcessResult;
  let answered: T;
  try {
    result = await deps.engine.process(run.workspace, run.prepared, request.records, {
      ...(signal ? { signal } : {}),
      ...(request.draft ? { debug: true } : {}),
      ...(options.waitForPixels ? { waitForPixels: true } : {}),
    });
    answered = (answer ? await answer(result) : undefined) as T;
  } catch (error) {
    const refused = refusal(error);
    if (!options.keepHoldOnFailure || refused) await settle(deps, run, 0, refused?.status ?? 500);
    throw refused ?? error;
  }
  return { result, answer: answered, settled: await settle(deps, run, result.statistics.credits, 200) };
}

/** Settles the run's hold to `credits` with a usage row of `status` (0 credits: released, nothing billed). */
export async function settle(deps: MeteredRunDeps, run: HeldRun, credits: number, status: number): Promise<boolean> {
  const { request } = run;
  if (credits > run.held) {
    deps.log.error("a request cost more than its worst case; charged the worst case", {
      requestId: request.id,
      credits,
      held: run.held,
    });
  }
  const settled = await settleCreditHold(deps.db, request.id, credits, {
    id: request.id,
    workspaceId: request.workspaceId,
    flowId: request.flowId,
    flowVersion: run.prepared.version,
    tokenId: request.tokenId,
    records: request.records.length,
    status,
    latencyMs: performance.now() - run.started,
    ...(request.draft ? { kind: "test_run" as const, userId: request.draft.userId } : {}),
  });
  if (settled) deps.metrics?.credits.inc(Math.min(credits, run.held));
  else if (status === 200) {
    // Its hold went first: its lease lapsed (the process stalled past it) or another attempt settled it.
    deps.log.warn("a request's hold was gone when it settled; it was not billed", { requestId: request.id, credits });
  }
  return settled;
}
