/**
 * Test runs and model tries are billed like calls to the HTTP API (a session cookie is no free
 * processing API): a hold for the worst case, settled to what ran, a usage row marked as what it was,
 * refused when the balance does not cover the hold. Test runs go through the engine's own metered run;
 * model tries use the same hold and settle of `@vizflow/db`.
 */
import { randomUUID } from "node:crypto";
import { getCreditAccount, placeCreditHold, settleCreditHold, type Database } from "@vizflow/db";
import {
  ApiError,
  databaseWorkspace,
  jsonLogger,
  prepareAndHold,
  processAndSettle,
  type MeteredRunDeps,
  type NodeTrace,
  type RecordResult,
} from "@vizflow/flow-engine";
import type { GraphProblem } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { getHTTPStatusCodeFromError } from "@trpc/server/http";
import { CreditShortfall } from "./credit-shortfall";
import { engineFor } from "./engine";

/** What one model try costs: one model run on one image, as a Recognition node is billed. */
export const MODEL_TRY_CREDITS = 1;

function notEnoughCredits(what: string, required: number, balance: number): TRPCError {
  return new TRPCError({
    code: "PAYMENT_REQUIRED",
    message:
      `Not enough credits: this ${what} may cost up to ${required} credit${required === 1 ? "" : "s"} and the ` +
      `workspace has ${balance} left this period. The operator of this instance grants credits.`,
    cause: new CreditShortfall(balance, required),
  });
}

/** Who runs what, where. */
export interface MeteredContext {
  readonly database: Database;
  readonly workspaceId: string;
  readonly userId: string;
}

export type TestRunOutcome =
  | {
      ok: true;
      records: RecordResult[];
      traces: NodeTrace[][];
      statistics: { credits: number; processing_time_ms: number };
      /** Credits left after this run settled. */
      balance: number;
    }
  | { ok: false; problems: GraphProblem[] };

const log = jsonLogger({ level: "warn", base: { source: "test-run" } });

/**
 * Runs the editor's draft graph on `images` (base64) in debug mode, metered: one hold for the worst case
 * of all of them, settled to what ran; images that fail cost nothing. An invalid draft answers with its
 * problems and bills nothing.
 * @throws TRPCError PAYMENT_REQUIRED (with a `CreditShortfall` cause) when the balance does not cover the hold.
 */
export async function meteredTestRun(
  ctx: MeteredContext,
  input: { flowId: string; graph: unknown; images: readonly string[] },
): Promise<TestRunOutcome> {
  const db = ctx.database.db;
  const deps: MeteredRunDeps = {
    db,
    engine: await engineFor(ctx.database),
    workspace: (workspaceId) => databaseWorkspace(db, workspaceId),
    log,
  };
  let held;
  try {
    held = await prepareAndHold(deps, {
      id: randomUUID(),
      workspaceId: ctx.workspaceId,
      tokenId: undefined,
      flowId: input.flowId,
      version: "deployed", // not read: the draft runs instead of a saved version
      records: input.images.map((image) => ({ _base64: image })),
      draft: { graph: input.graph, userId: ctx.userId },
    });
  } catch (error) {
    if (!(error instanceof ApiError)) throw error;
    const { problems, balance, required } = error.extra;
    // prepareAndHold puts the validator's problems on its 422 (GraphValidationError's own list).
    if (error.status === 422 && Array.isArray(problems)) return { ok: false, problems: problems as GraphProblem[] };
    if (error.status === 402 && typeof balance === "number" && typeof required === "number") {
      throw notEnoughCredits(input.images.length === 1 ? "test run" : "batch test", required, balance);
    }
    throw new TRPCError({
      code: error.status === 404 ? "NOT_FOUND" : "BAD_REQUEST",
      message: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`,
      cause: error,
    });
  }
  let result;
  try {
    ({ result } = await processAndSettle(deps, held));
  } catch (error) {
    // The engine's refusals before anything ran (no room to decode yet, too many pixels): billed nothing.
    if (!(error instanceof ApiError) || (error.status !== 503 && error.status !== 413)) throw error;
    throw new TRPCError({
      code: error.status === 503 ? "SERVICE_UNAVAILABLE" : "PAYLOAD_TOO_LARGE",
      message: `${error.message.charAt(0).toUpperCase()}${error.message.slice(1)}.`,
      cause: error,
    });
  }
  return {
    ok: true,
    records: result.records,
    traces: result.traces ?? [],
    statistics: result.statistics,
    balance: (await getCreditAccount(db, ctx.workspaceId)).balance,
  };
}

/**
 * Runs `work` (one model on one image) billed as a model try: it holds `MODEL_TRY_CREDITS`, and bills
 * them when `work` returns, nothing when it throws (its error goes on unchanged).
 * @throws TRPCError PAYMENT_REQUIRED when the balance does not cover the try.
 */
export async function meteredModelTry<T>(
  ctx: MeteredContext,
  taskId: string,
  work: () => Promise<T>,
): Promise<{ value: T; credits: number; balance: number }> {
  const db = ctx.database.db;
  const id = randomUUID();
  const started = performance.now();
  const hold = await placeCreditHold(db, ctx.workspaceId, id, MODEL_TRY_CREDITS);
  if (!hold.ok) throw notEnoughCredits("model try", MODEL_TRY_CREDITS, hold.balance);
  const usage = (status: number) => ({
    id,
    workspaceId: ctx.workspaceId,
    flowId: undefined,
    flowVersion: undefined,
    tokenId: undefined,
    records: 1,
    status,
    latencyMs: performance.now() - started,
    kind: "model_try" as const,
    userId: ctx.userId,
    taskId,
  });
  let value: T;
  try {
    value = await work();
  } catch (error) {
    await settleCreditHold(db, id, 0, usage(error instanceof TRPCError ? getHTTPStatusCodeFromError(error) : 500));
    throw error;
  }
  await settleCreditHold(db, id, MODEL_TRY_CREDITS, usage(200));
  return { value, credits: MODEL_TRY_CREDITS, balance: (await getCreditAccount(db, ctx.workspaceId)).balance };
}
