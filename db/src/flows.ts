import { randomUUID } from "node:crypto";
import { sql, type Kysely, type Transaction } from "kysely";
import { DataError } from "./errors.js";
import { findNestingFlows, type FlowReference } from "./flow-references.js";
import { jsonb } from "./json.js";
import type { DB } from "./schema.js";

/** A flow as the flows list shows it. */
export interface FlowInfo {
  readonly id: string;
  readonly name: string;
  /** Newest saved version, undefined before the first save. */
  readonly latestVersion: number | undefined;
  readonly deployedVersion: number | undefined;
  readonly deployedAt: Date | undefined;
  readonly lastCalledAt: Date | undefined;
  readonly createdBy: string;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

type FlowRow = {
  id: string;
  name: string;
  latest_version: number;
  deployed_version: number | null;
  deployed_at: Date | null;
  last_called_at: Date | null;
  created_by: string;
  created_at: Date;
  updated_at: Date;
};

const FLOW_COLUMNS = [
  "flow.id",
  "flow.name",
  "flow.latest_version",
  "flow.deployed_version",
  "flow.deployed_at",
  "flow.last_called_at",
  "flow.created_by",
  "flow.created_at",
  "flow.updated_at",
] as const;

function toFlowInfo(row: FlowRow): FlowInfo {
  return {
    id: row.id,
    name: row.name,
    latestVersion: row.latest_version === 0 ? undefined : row.latest_version,
    deployedVersion: row.deployed_version ?? undefined,
    deployedAt: row.deployed_at ?? undefined,
    lastCalledAt: row.last_called_at ?? undefined,
    createdBy: row.created_by,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function flowName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw new DataError("BAD_REQUEST", "Enter a flow name.", "name");
  return trimmed;
}

const UNIQUE_VIOLATION = "23505";

/** True when `error` is PostgreSQL's unique violation of `constraint` (pg and PGlite both carry the fields). */
export function isUniqueViolation(error: unknown, constraint: string): boolean {
  if (typeof error !== "object" || error === null) return false;
  const e = error as { code?: unknown; constraint?: unknown };
  return e.code === UNIQUE_VIOLATION && e.constraint === constraint;
}

function nameTaken(name: string): DataError {
  return new DataError("CONFLICT", `A flow named "${name}" already exists in this workspace.`, "name");
}

/** Creates an empty flow; `graph` (optional) becomes its first draft. */
export async function createFlow(
  db: Kysely<DB>,
  workspaceId: string,
  input: { readonly name: string; readonly createdBy: string; readonly graph?: unknown },
): Promise<FlowInfo> {
  const name = flowName(input.name);
  const id = randomUUID();
  try {
    return await db.transaction().execute(async (trx) => {
      const row = await trx
        .insertInto("flow")
        .values({ id, workspace_id: workspaceId, name, created_by: input.createdBy })
        .returning(FLOW_COLUMNS)
        .executeTakeFirstOrThrow();
      if (input.graph !== undefined) {
        await trx
          .insertInto("flow_draft")
          .values({ flow_id: id, graph: jsonb(input.graph), base_version: null, updated_by: input.createdBy })
          .execute();
      }
      return toFlowInfo(row);
    });
  } catch (error) {
    if (isUniqueViolation(error, "flow_workspace_name_key")) throw nameTaken(name);
    throw error;
  }
}

/** The workspace's live flows, newest first; `search` matches names case-insensitively. */
export async function listFlows(
  db: Kysely<DB>,
  workspaceId: string,
  options: { readonly search?: string } = {},
): Promise<FlowInfo[]> {
  let query = db
    .selectFrom("flow")
    .select(FLOW_COLUMNS)
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is", null);
  const search = options.search?.trim();
  if (search) query = query.where("name", "ilike", `%${escapeLike(search)}%`);
  const rows = await query.orderBy("created_at", "desc").orderBy("id").execute();
  return rows.map(toFlowInfo);
}

/** The flow, or undefined when it does not exist in the workspace (or was deleted). */
export async function findFlow(db: Kysely<DB>, workspaceId: string, flowId: string): Promise<FlowInfo | undefined> {
  const row = await db
    .selectFrom("flow")
    .select(FLOW_COLUMNS)
    .where("id", "=", flowId)
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row && toFlowInfo(row);
}

export async function renameFlow(db: Kysely<DB>, workspaceId: string, flowId: string, name: string): Promise<FlowInfo> {
  const trimmed = flowName(name);
  try {
    const row = await db
      .updateTable("flow")
      .set({ name: trimmed, updated_at: new Date() })
      .where("id", "=", flowId)
      .where("workspace_id", "=", workspaceId)
      .where("deleted_at", "is", null)
      .returning(FLOW_COLUMNS)
      .executeTakeFirst();
    if (!row) throw flowNotFound(flowId);
    return toFlowInfo(row);
  } catch (error) {
    if (isUniqueViolation(error, "flow_workspace_name_key")) throw nameTaken(trimmed);
    throw error;
  }
}

/** Refusal to delete a flow that other flows run as a nested flow; `flows` are those flows. */
export class FlowInUseError extends DataError {
  constructor(
    message: string,
    readonly flows: readonly FlowReference[],
  ) {
    super("CONFLICT", message);
  }
}

/**
 * Deletes a flow (it disappears from every query; its versions stay for usage history). Refused while a
 * saved version of another live flow nests it, listing those flows.
 */
export async function deleteFlow(db: Kysely<DB>, workspaceId: string, flowId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockFlow(trx, workspaceId, flowId);
    const users = (await findNestingFlows(trx, workspaceId, flowId)).filter((f) => f.flowId !== flowId);
    if (users.length > 0) {
      throw new FlowInUseError(
        `This flow is used as a nested flow by ${describeFlows(users)}; remove it there first.`,
        users,
      );
    }
    await trx
      .updateTable("flow")
      .set({ deleted_at: new Date() })
      .where("id", "=", flowId)
      .where("workspace_id", "=", workspaceId)
      .execute();
  });
}

/** Records that the flow was just called (the flows list shows it). */
export async function markFlowCalled(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
  at: Date = new Date(),
): Promise<void> {
  // Only ever moves forward, so concurrent calls finishing out of order keep the latest time.
  await db
    .updateTable("flow")
    .set({ last_called_at: sql<Date>`greatest(last_called_at, cast(${at} as timestamptz))` })
    .where("id", "=", flowId)
    .where("workspace_id", "=", workspaceId)
    .execute();
}

/** Locks the live flow's row for the rest of the transaction; NOT_FOUND when it is not in the workspace. */
export async function lockFlow(
  trx: Transaction<DB>,
  workspaceId: string,
  flowId: string,
): Promise<{ latestVersion: number }> {
  const row = await trx
    .selectFrom("flow")
    .select("latest_version")
    .where("id", "=", flowId)
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is", null)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw flowNotFound(flowId);
  return { latestVersion: row.latest_version };
}

export function flowNotFound(flowId: string): DataError {
  return new DataError("NOT_FOUND", `Flow ${flowId} does not exist in this workspace.`);
}

/** "flow A (versions 1, 2) and flow B (version 3)", for refusals that list flows. */
export function describeFlows(flows: readonly FlowReference[]): string {
  const parts = flows.map(
    (f) => `"${f.flowName}" (version${f.versions.length === 1 ? "" : "s"} ${f.versions.join(", ")})`,
  );
  return parts.length <= 1 ? (parts[0] ?? "") : `${parts.slice(0, -1).join(", ")} and ${parts.at(-1) ?? ""}`;
}

function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (c) => `\\${c}`);
}
