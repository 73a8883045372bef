import { sql, type Kysely } from "kysely";
import { DataError } from "./errors.js";
import type { DB, UsageKind } from "./schema.js";

/** Plans and their monthly allowance in credits. */
export const PLANS = {
  free: { title: "Free", monthlyAllowance: 3_000 },
  starter: { title: "Starter", monthlyAllowance: 30_000 },
  business: { title: "Business", monthlyAllowance: 300_000 },
} as const;
export type PlanName = keyof typeof PLANS;

export function isPlanName(value: string): value is PlanName {
  return Object.hasOwn(PLANS, value);
}

/**
 * The most credits one grant may add, and the most a monthly allowance may be: 10^12. Amounts are stored
 * as bigint; with these limits every sum the app computes stays an exact JavaScript number.
 */
export const MAX_CREDIT_AMOUNT = 1_000_000_000_000;
/** The most a period may offer in all (allowance + granted credits): 10^15, below 2^53. */
export const MAX_CREDIT_TOTAL = 1_000_000_000_000_000;

const credits = new Intl.NumberFormat("en");

/** The refusal of an amount out of range, in the words the API and the forms show. */
export function creditAmountMessage(what: "grant" | "allowance"): string {
  return what === "grant"
    ? `Grant a whole number of credits from 1 to ${credits.format(MAX_CREDIT_AMOUNT)}.`
    : `The monthly allowance must be a whole number of credits from 0 to ${credits.format(MAX_CREDIT_AMOUNT)}.`;
}

export interface CreditAccount {
  readonly plan: string;
  readonly monthlyAllowance: number;
  /** Credits the instance operator granted for this period. */
  readonly bonus: number;
  readonly used: number;
  /** Held by requests that are running now. */
  readonly held: number;
  /** What a new request can still hold: allowance + bonus - used - held. */
  readonly balance: number;
  readonly periodStart: Date;
  /** When the next period starts (used and bonus go back to 0). */
  readonly periodEnd: Date;
  readonly resetDay: number;
}

/** The start of the period containing `now` for a reset day (1-28), at 00:00 UTC. */
export function periodStartFor(resetDay: number, now: Date): Date {
  const year = now.getUTCFullYear();
  const month = now.getUTCMonth();
  const thisMonth = new Date(Date.UTC(year, month, resetDay));
  return thisMonth.getTime() <= now.getTime() ? thisMonth : new Date(Date.UTC(year, month - 1, resetDay));
}

function nextPeriodStart(resetDay: number, periodStart: Date): Date {
  return new Date(Date.UTC(periodStart.getUTCFullYear(), periodStart.getUTCMonth() + 1, resetDay));
}

/**
 * Makes sure the workspace has an account (Free plan, reset on the day it was created, capped at 28)
 * and that its period is current: on the reset day a new period starts with nothing used. Both steps
 * are conditional statements, so any number of engines may run them at once.
 */
export async function ensureCurrentPeriod(db: Kysely<DB>, workspaceId: string, now = new Date()): Promise<void> {
  // Until the period ends nothing here can change, so a process checks each workspace once per period.
  const known = currentUntil(db).get(workspaceId);
  if (known !== undefined && now.getTime() < known) return;
  const resetDay = Math.min(now.getUTCDate(), 28);
  await db
    .insertInto("credit_account")
    .values({
      workspace_id: workspaceId,
      plan: "free",
      monthly_allowance: PLANS.free.monthlyAllowance,
      period_start: periodStartFor(resetDay, now),
      reset_day: resetDay,
    })
    .onConflict((oc) => oc.column("workspace_id").doNothing())
    .execute();
  const account = await db
    .selectFrom("credit_account")
    .select(["period_start", "reset_day"])
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  const current = periodStartFor(account.reset_day, now);
  if (current.getTime() > account.period_start.getTime()) {
    await db
      .updateTable("credit_account")
      .set({ used: 0, bonus: 0, period_start: current })
      .where("workspace_id", "=", workspaceId)
      .where("period_start", "<", current)
      .execute();
  }
  currentUntil(db).set(workspaceId, nextPeriodStart(account.reset_day, current).getTime());
}

const periodCache = new WeakMap<Kysely<DB>, Map<string, number>>();

/** Per database handle: workspace id -> when its current period ends (ms). */
function currentUntil(db: Kysely<DB>): Map<string, number> {
  let map = periodCache.get(db);
  if (!map) {
    map = new Map();
    periodCache.set(db, map);
  }
  return map;
}

export async function getCreditAccount(db: Kysely<DB>, workspaceId: string, now = new Date()): Promise<CreditAccount> {
  await ensureCurrentPeriod(db, workspaceId, now);
  const row = await db
    .selectFrom("credit_account")
    .selectAll()
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirstOrThrow();
  return {
    plan: row.plan,
    monthlyAllowance: row.monthly_allowance,
    bonus: row.bonus,
    used: row.used,
    held: row.held,
    balance: Math.max(0, row.monthly_allowance + row.bonus - row.used - row.held),
    periodStart: row.period_start,
    periodEnd: nextPeriodStart(row.reset_day, row.period_start),
    resetDay: row.reset_day,
  };
}

export type HoldResult = { ok: true } | { ok: false; balance: number };

/**
 * The lease of a hold whose process does not renew it (an admin's model try): it is released 15 minutes
 * after it was placed if it is still there. Requests of the engine take a short lease and renew it.
 */
export const UNRENEWED_HOLD_LEASE_MS = 15 * 60_000;

/**
 * Holds `amount` credits for a request, atomically: one statement that raises `held` only while the
 * balance covers it (PostgreSQL re-checks the condition after waiting for a concurrent hold's row lock),
 * and records the hold under `holdId` with a lease of `leaseMs` (on the database's clock, so hosts' clocks
 * do not matter): its process renews it (`renewHoldLeases`) while the request runs, any process releases it
 * once lapsed. `null` places a hold without a lease (a queued job's: it lives as long as the job). When the
 * balance does not cover it, returns the balance left.
 */
export async function placeCreditHold(
  db: Kysely<DB>,
  workspaceId: string,
  holdId: string,
  amount: number,
  leaseMs: number | null = UNRENEWED_HOLD_LEASE_MS,
): Promise<HoldResult> {
  if (!Number.isInteger(amount) || amount < 0)
    throw new RangeError(`a hold must be a whole number >= 0, got ${amount}`);
  await ensureCurrentPeriod(db, workspaceId);
  const lease =
    leaseMs === null ? sql`null::timestamptz` : sql`now() + ${Math.round(leaseMs)} * interval '1 millisecond'`;
  const placed = await sql<{ id: string }>`
    with account as (
      update credit_account set held = held + ${amount}
      where workspace_id = ${workspaceId} and monthly_allowance + bonus - used - held >= ${amount}
      returning workspace_id
    )
    insert into credit_hold (id, workspace_id, amount, lease_until)
    select ${holdId}, workspace_id, ${amount}, ${lease} from account
    returning id`.execute(db);
  if (placed.rows.length === 1) return { ok: true };
  return { ok: false, balance: (await getCreditAccount(db, workspaceId)).balance };
}

/**
 * Extends the leases of the holds `holdIds` to `leaseMs` from now (one statement for all of a process's
 * running requests). Holds without a lease (queued jobs') stay without one. Returns how many were renewed.
 */
export async function renewHoldLeases(db: Kysely<DB>, holdIds: readonly string[], leaseMs: number): Promise<number> {
  if (holdIds.length === 0) return 0;
  const result = await db
    .updateTable("credit_hold")
    .set({ lease_until: sql<Date>`now() + ${Math.round(leaseMs)} * interval '1 millisecond'` })
    .where("id", "in", [...holdIds])
    .where("lease_until", "is not", null)
    .executeTakeFirst();
  return Number(result.numUpdatedRows);
}

/**
 * Gives the hold `holdId` to a queued job: it loses its lease and lives until the job settles it (or the
 * queue releases it for a job that failed or went away). Returns false when the hold is not there.
 */
export async function holdForJob(db: Kysely<DB>, holdId: string): Promise<boolean> {
  const result = await db
    .updateTable("credit_hold")
    .set({ lease_until: null })
    .where("id", "=", holdId)
    .executeTakeFirst();
  return Number(result.numUpdatedRows) === 1;
}

export interface UsageRecord {
  /** Unique per request or job: a usage row is written once. */
  readonly id: string;
  readonly workspaceId: string;
  readonly flowId: string | undefined;
  readonly flowVersion: number | undefined;
  readonly tokenId: string | undefined;
  readonly records: number;
  readonly status: number;
  readonly latencyMs: number;
  /** What ran: "call" (the default) for the HTTP API; test runs and model tries are marked as such. */
  readonly kind?: UsageKind;
  /** The member who ran a test run or a model try. */
  readonly userId?: string | undefined;
  /** The task of a model try. */
  readonly taskId?: string | undefined;
}

/**
 * Settles a hold to what ran: `credits` become used, the rest of the hold is released, and the usage row
 * is written, in one transaction. Only the call that deletes the hold row settles it, so a retried
 * request or job is never billed twice; returns false when it was settled already. Credits above the
 * hold (which the worst case makes impossible) are capped at the hold, so the balance stays >= 0.
 */
export async function settleCreditHold(
  db: Kysely<DB>,
  holdId: string,
  credits: number,
  usage: UsageRecord,
): Promise<boolean> {
  const charge = Math.max(0, Math.round(credits));
  // One statement (one round trip), atomic: the hold's deletion gates both the account update and the row.
  const result = await sql<{ amount: number }>`
    with hold as (
      delete from credit_hold where id = ${holdId} returning workspace_id, amount
    ), account as (
      update credit_account a set held = a.held - hold.amount, used = a.used + least(${charge}::bigint, hold.amount)
      from hold where a.workspace_id = hold.workspace_id
      returning a.workspace_id
    ), usage as (
      insert into usage_event (id, workspace_id, flow_id, flow_version, token_id, records, credits, status, latency_ms,
        kind, user_id, task_id)
      select ${usage.id}, ${usage.workspaceId}, ${usage.flowId ?? null}, ${usage.flowVersion ?? null}::int,
        ${usage.tokenId ?? null}, ${usage.records}::int, least(${charge}::bigint, hold.amount), ${usage.status}::int,
        ${Math.round(usage.latencyMs)}::int, ${usage.kind ?? "call"}, ${usage.userId ?? null}, ${usage.taskId ?? null}
      from hold
      on conflict (id) do nothing
    )
    select amount from hold`.execute(db);
  return result.rows.length === 1;
}

/**
 * Releases the holds whose lease lapsed before `now` (default: the database's clock): their process died
 * before settling, and nothing is billed for them. Holds without a lease (queued jobs') are never released
 * here, nor those in `except` (the caller's own running requests, late in renewing after a stall). Returns
 * how many were released.
 */
export async function releaseLapsedCreditHolds(
  db: Kysely<DB>,
  now?: Date,
  except: readonly string[] = [],
): Promise<number> {
  let query = db
    .selectFrom("credit_hold")
    .select("id")
    .where("lease_until", "<", now ?? sql<Date>`now()`);
  if (except.length > 0) query = query.where("id", "not in", [...except]);
  const lapsed = await query.execute();
  let released = 0;
  // Each is checked again as it goes: a hold renewed meanwhile stays.
  for (const { id } of lapsed) if (await releaseCreditHold(db, id, now ?? "now")) released++;
  return released;
}

/**
 * Releases the hold `holdId` unbilled, without a usage row; with `lapsedBefore`, only if its lease lapsed
 * before then ("now": the database's clock). Returns whether it was released.
 */
export async function releaseCreditHold(db: Kysely<DB>, holdId: string, lapsedBefore?: Date | "now"): Promise<boolean> {
  return db.transaction().execute(async (trx) => {
    let query = trx.deleteFrom("credit_hold").where("id", "=", holdId);
    if (lapsedBefore !== undefined) {
      query = query.where("lease_until", "<", lapsedBefore === "now" ? sql<Date>`now()` : lapsedBefore);
    }
    const hold = await query.returning(["workspace_id", "amount"]).executeTakeFirst();
    if (!hold) return false;
    await trx
      .updateTable("credit_account")
      .set((eb) => ({ held: eb("held", "-", hold.amount) }))
      .where("workspace_id", "=", hold.workspace_id)
      .execute();
    return true;
  });
}

/**
 * Changes the plan; `monthlyAllowance` overrides the plan's own (a custom deal).
 * @throws DataError BAD_REQUEST for an unknown plan or a negative allowance.
 */
export async function setCreditPlan(
  db: Kysely<DB>,
  workspaceId: string,
  plan: string,
  monthlyAllowance?: number,
): Promise<CreditAccount> {
  if (!isPlanName(plan)) {
    throw new DataError("BAD_REQUEST", `Unknown plan "${plan}"; choose ${Object.keys(PLANS).join(", ")}.`, "plan");
  }
  const allowance = monthlyAllowance ?? PLANS[plan].monthlyAllowance;
  if (!Number.isSafeInteger(allowance) || allowance < 0 || allowance > MAX_CREDIT_AMOUNT) {
    throw new DataError("BAD_REQUEST", creditAmountMessage("allowance"), "monthlyAllowance");
  }
  await ensureCurrentPeriod(db, workspaceId);
  const updated = await db
    .updateTable("credit_account")
    .set({ plan, monthly_allowance: allowance })
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb(eb("bonus", "+", allowance), "<=", MAX_CREDIT_TOTAL))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw totalRefusal();
  return getCreditAccount(db, workspaceId);
}

function totalRefusal(): DataError {
  return new DataError(
    "BAD_REQUEST",
    `A period can offer at most ${credits.format(MAX_CREDIT_TOTAL)} credits (allowance and grants together).`,
    "amount",
  );
}

/**
 * Grants credits for the current period (the instance operator's; a workspace's admins cannot).
 * @throws DataError BAD_REQUEST unless `amount` is a whole number from 1 to MAX_CREDIT_AMOUNT, or when the
 * period would offer more than MAX_CREDIT_TOTAL.
 */
export async function addCredits(db: Kysely<DB>, workspaceId: string, amount: number): Promise<CreditAccount> {
  if (!Number.isSafeInteger(amount) || amount < 1 || amount > MAX_CREDIT_AMOUNT) {
    throw new DataError("BAD_REQUEST", creditAmountMessage("grant"), "amount");
  }
  await ensureCurrentPeriod(db, workspaceId);
  const updated = await db
    .updateTable("credit_account")
    .set((eb) => ({ bonus: eb("bonus", "+", amount) }))
    .where("workspace_id", "=", workspaceId)
    .where((eb) => eb(eb(eb("monthly_allowance", "+", eb.ref("bonus")), "+", amount), "<=", MAX_CREDIT_TOTAL))
    .executeTakeFirst();
  if (updated.numUpdatedRows === 0n) throw totalRefusal();
  return getCreditAccount(db, workspaceId);
}

export interface WorkspaceCredits {
  readonly workspaceId: string;
  readonly name: string;
  readonly createdAt: Date;
  readonly account: CreditAccount;
}

/** Every workspace of the instance with its credit account, oldest first: the instance operator's view. */
export async function listWorkspaceCredits(db: Kysely<DB>, now = new Date()): Promise<WorkspaceCredits[]> {
  const workspaces = await db
    .selectFrom("workspace")
    .select(["id", "name", "created_at"])
    .orderBy("created_at")
    .orderBy("id")
    .execute();
  const result: WorkspaceCredits[] = [];
  for (const w of workspaces) {
    result.push({
      workspaceId: w.id,
      name: w.name,
      createdAt: w.created_at,
      account: await getCreditAccount(db, w.id, now),
    });
  }
  return result;
}
