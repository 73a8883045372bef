import { sql, type Kysely } from "kysely";
import type { DB, UsageKind } from "./schema.js";

export interface UsageEventInfo {
  readonly id: string;
  readonly time: Date;
  readonly flowId: string | undefined;
  /** The flow's name, also after it was deleted; undefined when the request named no flow that exists. */
  readonly flowName: string | undefined;
  readonly flowVersion: number | undefined;
  readonly tokenId: string | undefined;
  readonly tokenName: string | undefined;
  readonly records: number;
  readonly credits: number;
  readonly status: number;
  readonly latencyMs: number;
  readonly kind: UsageKind;
  /** Who ran a test run or a model try (undefined for calls). */
  readonly userId: string | undefined;
  /** The task of a model try, while it exists. */
  readonly taskName: string | undefined;
}

/** The newest usage rows of a workspace. */
export async function listRecentUsage(db: Kysely<DB>, workspaceId: string, limit = 50): Promise<UsageEventInfo[]> {
  const rows = await db
    .selectFrom("usage_event as u")
    .leftJoin("flow as f", (j) => j.onRef("f.id", "=", "u.flow_id").onRef("f.workspace_id", "=", "u.workspace_id"))
    .leftJoin("api_token as t", (j) =>
      j.onRef("t.id", "=", "u.token_id").onRef("t.workspace_id", "=", "u.workspace_id"),
    )
    .leftJoin("task as k", (j) => j.onRef("k.id", "=", "u.task_id").onRef("k.workspace_id", "=", "u.workspace_id"))
    .select([
      "u.id",
      "u.created_at",
      "u.flow_id",
      "f.name as flow_name",
      "u.flow_version",
      "u.token_id",
      "t.name as token_name",
      "u.records",
      "u.credits",
      "u.status",
      "u.latency_ms",
      "u.kind",
      "u.user_id",
      "k.name as task_name",
    ])
    .where("u.workspace_id", "=", workspaceId)
    .orderBy("u.created_at", "desc")
    .limit(limit)
    .execute();
  return rows.map((r) => ({
    id: r.id,
    time: r.created_at,
    flowId: r.flow_id ?? undefined,
    flowName: r.flow_name ?? undefined,
    flowVersion: r.flow_version ?? undefined,
    tokenId: r.token_id ?? undefined,
    tokenName: r.token_name ?? undefined,
    records: r.records,
    credits: r.credits,
    status: r.status,
    latencyMs: r.latency_ms,
    kind: r.kind,
    userId: r.user_id ?? undefined,
    taskName: r.task_name ?? undefined,
  }));
}

export interface DailyFlowCredits {
  /** `YYYY-MM-DD` (UTC). */
  readonly day: string;
  readonly flowId: string | undefined;
  readonly flowName: string | undefined;
  readonly credits: number;
}

/** Credits per UTC day and flow since `since`. */
export async function creditsPerDayByFlow(
  db: Kysely<DB>,
  workspaceId: string,
  since: Date,
): Promise<DailyFlowCredits[]> {
  const rows = await db
    .selectFrom("usage_event as u")
    .leftJoin("flow as f", (j) => j.onRef("f.id", "=", "u.flow_id").onRef("f.workspace_id", "=", "u.workspace_id"))
    .select([
      sql<string>`to_char(u.created_at at time zone 'UTC', 'YYYY-MM-DD')`.as("day"),
      "u.flow_id",
      sql<string | null>`max(f.name)`.as("flow_name"),
      sql<number>`coalesce(sum(u.credits), 0)::bigint`.as("credits"),
    ])
    .where("u.workspace_id", "=", workspaceId)
    .where("u.created_at", ">=", since)
    .groupBy([sql`1`, "u.flow_id"])
    .orderBy(sql`1`)
    .execute();
  return rows.map((r) => ({
    day: r.day,
    flowId: r.flow_id ?? undefined,
    flowName: r.flow_name ?? undefined,
    credits: Number(r.credits),
  }));
}

export interface TokenCalls {
  /** Test runs and model tries are counted apart from calls without a token. */
  readonly kind: UsageKind;
  readonly tokenId: string | undefined;
  readonly tokenName: string | undefined;
  readonly calls: number;
  readonly credits: number;
}

/** Requests and credits per token (and per kind: test runs, model tries) since `since`; revoked tokens keep their name. */
export async function callsPerToken(db: Kysely<DB>, workspaceId: string, since: Date): Promise<TokenCalls[]> {
  const rows = await db
    .selectFrom("usage_event as u")
    .leftJoin("api_token as t", (j) =>
      j.onRef("t.id", "=", "u.token_id").onRef("t.workspace_id", "=", "u.workspace_id"),
    )
    .select([
      "u.kind",
      "u.token_id",
      sql<string | null>`max(t.name)`.as("token_name"),
      sql<number>`count(*)::int`.as("calls"),
      sql<number>`coalesce(sum(u.credits), 0)::bigint`.as("credits"),
    ])
    .where("u.workspace_id", "=", workspaceId)
    .where("u.created_at", ">=", since)
    .groupBy(["u.kind", "u.token_id"])
    .orderBy("calls", "desc")
    .execute();
  return rows.map((r) => ({
    kind: r.kind,
    tokenId: r.token_id ?? undefined,
    tokenName: r.token_name ?? undefined,
    calls: Number(r.calls),
    credits: Number(r.credits),
  }));
}
