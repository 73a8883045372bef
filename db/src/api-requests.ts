import type { Kysely } from "kysely";
import type { DB } from "./schema.js";

/** How long an answer is kept (and an `Idempotency-Key` stays bound to its call): 24 hours. */
export const API_REQUEST_TTL_MS = 24 * 60 * 60_000;
/**
 * A keyed call still `running` after this long belonged to a process that died before answering (it was
 * not billed: a call's answer is stored before its hold settles); the next call with its key takes it over.
 * A claim with a lease (`leaseMs`, renewed by its process with `renewClaimLeases`) is taken over as soon as
 * its lease lapsed instead.
 */
export const ABANDONED_CLAIM_MS = 15 * 60_000;

export interface StoredApiRequest {
  readonly id: string;
  readonly workspaceId: string;
  readonly idempotencyKey: string | undefined;
  readonly bodyHash: string | undefined;
  readonly state: "running" | "done";
  /** The HTTP status of the stored answer (while `done`). */
  readonly status: number | undefined;
  /** The stored answer, JSON text, images stripped (while `done`). */
  readonly body: string | undefined;
  readonly createdAt: Date;
}

export type ClaimResult = { claimed: true } | { claimed: false; existing: StoredApiRequest };

type Row = {
  id: string;
  workspace_id: string;
  idempotency_key: string | null;
  body_hash: string | null;
  state: "running" | "done";
  status: number | null;
  body: string | null;
  created_at: Date;
  lease_until: Date | null;
};

function stored(row: Row): StoredApiRequest {
  return {
    id: row.id,
    workspaceId: row.workspace_id,
    idempotencyKey: row.idempotency_key ?? undefined,
    bodyHash: row.body_hash ?? undefined,
    state: row.state,
    status: row.status ?? undefined,
    body: row.body ?? undefined,
    createdAt: row.created_at,
  };
}

/**
 * Claims `key` in the workspace for the call `id` before it runs. When another call holds the key, returns
 * that call (running, or done with its answer) instead; one that expired (older than 24 h) or was
 * abandoned (`running` past its lease, or past `ABANDONED_CLAIM_MS` without one) is removed and the key claimed afresh. Atomic on the
 * unique (workspace, key): of two calls claiming at once, exactly one gets the claim.
 */
export async function claimIdempotencyKey(
  db: Kysely<DB>,
  claim: { id: string; workspaceId: string; key: string; bodyHash: string; leaseMs?: number },
  now = new Date(),
): Promise<ClaimResult> {
  for (let attempt = 0; attempt < 5; attempt++) {
    const inserted = await db
      .insertInto("api_request")
      .values({
        id: claim.id,
        workspace_id: claim.workspaceId,
        idempotency_key: claim.key,
        body_hash: claim.bodyHash,
        state: "running",
        created_at: now,
        lease_until: claim.leaseMs === undefined ? null : new Date(now.getTime() + claim.leaseMs),
      })
      .onConflict((oc) => oc.columns(["workspace_id", "idempotency_key"]).doNothing())
      .returning("id")
      .executeTakeFirst();
    if (inserted) return { claimed: true };
    const existing = await db
      .selectFrom("api_request")
      .selectAll()
      .where("workspace_id", "=", claim.workspaceId)
      .where("idempotency_key", "=", claim.key)
      .executeTakeFirst();
    if (!existing) continue; // removed meanwhile: claim again
    const age = now.getTime() - existing.created_at.getTime();
    const abandoned =
      existing.state === "running" &&
      (existing.lease_until === null ? age > ABANDONED_CLAIM_MS : existing.lease_until.getTime() < now.getTime());
    if (age > API_REQUEST_TTL_MS || abandoned) {
      // Only the row seen goes: a fresh claim made meanwhile by another call stays.
      await db
        .deleteFrom("api_request")
        .where("id", "=", existing.id)
        .where("created_at", "=", existing.created_at)
        .execute();
      continue;
    }
    return { claimed: false, existing: stored(existing) };
  }
  throw new Error(`could not claim the idempotency key of request ${claim.id}: it changed hands repeatedly`);
}

/** Extends the leases of the `running` claims `ids` to `leaseMs` from `now` (their calls still run). */
export async function renewClaimLeases(
  db: Kysely<DB>,
  ids: readonly string[],
  leaseMs: number,
  now = new Date(),
): Promise<void> {
  if (ids.length === 0) return;
  await db
    .updateTable("api_request")
    .set({ lease_until: new Date(now.getTime() + leaseMs) })
    .where("id", "in", [...ids])
    .where("state", "=", "running")
    .where("lease_until", "is not", null)
    .execute();
}

/**
 * Stores a call's answer (JSON text, images already stripped) under its id: turns its claim `done`, or
 * writes a row of its own for a call without a key (or whose claim was taken over meanwhile).
 */
export async function storeApiResponse(
  db: Kysely<DB>,
  answer: { id: string; workspaceId: string; status: number; body: string },
  now = new Date(),
): Promise<void> {
  await db
    .insertInto("api_request")
    .values({
      id: answer.id,
      workspace_id: answer.workspaceId,
      state: "done",
      status: answer.status,
      body: answer.body,
      created_at: now,
    })
    .onConflict((oc) => oc.column("id").doUpdateSet({ state: "done", status: answer.status, body: answer.body }))
    .execute();
}

/** Removes a call's claim or answer (the call failed, billed nothing, and its key may be used again). */
export async function releaseApiRequest(db: Kysely<DB>, id: string): Promise<void> {
  await db.deleteFrom("api_request").where("id", "=", id).execute();
}

/** A call of the workspace from the last 24 hours, or undefined (also for another workspace's call). */
export async function findApiRequest(
  db: Kysely<DB>,
  workspaceId: string,
  id: string,
  now = new Date(),
): Promise<StoredApiRequest | undefined> {
  const row = await db
    .selectFrom("api_request")
    .selectAll()
    .where("id", "=", id)
    .where("workspace_id", "=", workspaceId)
    .where("created_at", ">=", new Date(now.getTime() - API_REQUEST_TTL_MS))
    .executeTakeFirst();
  return row ? stored(row) : undefined;
}

/** Deletes the calls older than 24 hours (their answers and keys); returns how many. */
export async function sweepExpiredApiRequests(db: Kysely<DB>, now = new Date()): Promise<number> {
  const result = await db
    .deleteFrom("api_request")
    .where("created_at", "<", new Date(now.getTime() - API_REQUEST_TTL_MS))
    .executeTakeFirst();
  return Number(result.numDeletedRows);
}
