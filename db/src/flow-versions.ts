import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import { flowNotFound, lockFlow } from "./flows.js";
import { jsonb } from "./json.js";
import type { DB } from "./schema.js";

/** A saved version without its graph (history lists). */
export interface FlowVersionInfo {
  readonly flowId: string;
  readonly version: number;
  readonly message: string;
  readonly createdBy: string;
  readonly createdAt: Date;
}

/** A saved version with its graph. */
export interface SavedFlowVersion extends FlowVersionInfo {
  readonly graph: unknown;
}

/**
 * A save on top of a version that is no longer the latest. Nothing was saved; `latestVersion` is what
 * the editor reloads (or saves on top of).
 */
export class FlowVersionConflictError extends DataError {
  constructor(
    readonly expectedVersion: number | undefined,
    readonly latestVersion: number,
  ) {
    super(
      "CONFLICT",
      `Version ${latestVersion} of this flow was saved after ${
        expectedVersion === undefined ? "you started editing" : `version ${expectedVersion}`
      }; reload it, or save on top of version ${latestVersion}.`,
    );
  }
}

/**
 * Saves `graph` as the flow's next version (1, 2, …) and returns it. Concurrent saves are serialized on
 * the flow's row, so each gets its own number and none overwrites another. With `expectedLatestVersion`
 * (the version the draft is based on, 0 for none), the save is refused with FlowVersionConflictError
 * when another version was saved since.
 *
 * @example
 * const saved = await saveFlowVersion(db, workspaceId, flowId, { graph, message: "lower threshold", createdBy: userId, expectedLatestVersion: 3 });
 */
export async function saveFlowVersion(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
  input: {
    readonly graph: unknown;
    readonly message?: string;
    readonly createdBy: string;
    /** The version the editor's draft is based on; 0 when the flow had no version yet. */
    readonly expectedLatestVersion?: number;
  },
): Promise<FlowVersionInfo> {
  const message = (input.message ?? "").trim();
  requireGraph(input.graph);
  return db.transaction().execute(async (trx) => {
    const { latestVersion } = await lockFlow(trx, workspaceId, flowId);
    const expected = input.expectedLatestVersion;
    if (expected !== undefined && expected !== latestVersion) {
      throw new FlowVersionConflictError(expected === 0 ? undefined : expected, latestVersion);
    }
    const version = latestVersion + 1;
    const now = new Date();
    await trx.updateTable("flow").set({ latest_version: version, updated_at: now }).where("id", "=", flowId).execute();
    const row = await trx
      .insertInto("flow_version")
      .values({ flow_id: flowId, version, graph: jsonb(input.graph), message, created_by: input.createdBy })
      .returning(["flow_id", "version", "message", "created_by", "created_at"])
      .executeTakeFirstOrThrow();
    return toVersionInfo(row);
  });
}

/** The flow's saved versions, newest first (without graphs). */
export async function listFlowVersions(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
): Promise<FlowVersionInfo[]> {
  const rows = await db
    .selectFrom("flow_version")
    .innerJoin("flow", "flow.id", "flow_version.flow_id")
    .select([
      "flow_version.flow_id",
      "flow_version.version",
      "flow_version.message",
      "flow_version.created_by",
      "flow_version.created_at",
    ])
    .where("flow.id", "=", flowId)
    .where("flow.workspace_id", "=", workspaceId)
    .where("flow.deleted_at", "is", null)
    .orderBy("flow_version.version", "desc")
    .execute();
  return rows.map(toVersionInfo);
}

/** One saved version with its graph, or undefined when the flow or version is not in the workspace. */
export async function findFlowVersion(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
  version: number,
): Promise<SavedFlowVersion | undefined> {
  const row = await db
    .selectFrom("flow_version")
    .innerJoin("flow", "flow.id", "flow_version.flow_id")
    .select([
      "flow_version.flow_id",
      "flow_version.version",
      "flow_version.message",
      "flow_version.created_by",
      "flow_version.created_at",
      "flow_version.graph",
    ])
    .where("flow.id", "=", flowId)
    .where("flow.workspace_id", "=", workspaceId)
    .where("flow.deleted_at", "is", null)
    .where("flow_version.version", "=", version)
    .executeTakeFirst();
  return row && { ...toVersionInfo(row), graph: row.graph };
}

/** Makes `version` the one the flow's endpoint runs; `version` undefined takes the flow offline. */
export async function deployFlowVersion(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
  version: number | undefined,
  deployedBy: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    const { latestVersion } = await lockFlow(trx, workspaceId, flowId);
    if (version !== undefined && (!Number.isInteger(version) || version < 1 || version > latestVersion)) {
      throw new DataError(
        "NOT_FOUND",
        latestVersion === 0
          ? "This flow has no saved version yet; save one before deploying."
          : `Version ${version} does not exist; this flow has versions 1 to ${latestVersion}.`,
        "version",
      );
    }
    const now = new Date();
    await trx
      .updateTable("flow")
      .set({
        deployed_version: version ?? null,
        deployed_at: version === undefined ? null : now,
        deployed_by: version === undefined ? null : deployedBy,
        updated_at: now,
      })
      .where("id", "=", flowId)
      .execute();
  });
}

/** The version the flow's endpoint runs, or undefined (unknown flow, or nothing deployed). */
export async function findDeployedVersion(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
): Promise<number | undefined> {
  const row = await db
    .selectFrom("flow")
    .select("deployed_version")
    .where("id", "=", flowId)
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  return row?.deployed_version ?? undefined;
}

/** The editor's autosaved working copy. */
export interface FlowDraft {
  readonly flowId: string;
  readonly graph: unknown;
  readonly baseVersion: number | undefined;
  readonly updatedBy: string;
  readonly updatedAt: Date;
}

/** The flow's draft, or undefined when it has none (or the flow is not in the workspace). */
export async function findFlowDraft(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
): Promise<FlowDraft | undefined> {
  const row = await db
    .selectFrom("flow_draft")
    .innerJoin("flow", "flow.id", "flow_draft.flow_id")
    .select([
      "flow_draft.flow_id",
      "flow_draft.graph",
      "flow_draft.base_version",
      "flow_draft.updated_by",
      "flow_draft.updated_at",
    ])
    .where("flow.id", "=", flowId)
    .where("flow.workspace_id", "=", workspaceId)
    .where("flow.deleted_at", "is", null)
    .executeTakeFirst();
  return row && toDraft(row);
}

/** Replaces the flow's draft (autosave: the last write wins). */
export async function putFlowDraft(
  db: Kysely<DB>,
  workspaceId: string,
  flowId: string,
  input: { readonly graph: unknown; readonly baseVersion?: number; readonly updatedBy: string },
): Promise<FlowDraft> {
  const exists = await db
    .selectFrom("flow")
    .select("id")
    .where("id", "=", flowId)
    .where("workspace_id", "=", workspaceId)
    .where("deleted_at", "is", null)
    .executeTakeFirst();
  if (!exists) throw flowNotFound(flowId);
  requireGraph(input.graph);
  const values = {
    graph: jsonb(input.graph),
    base_version: input.baseVersion ?? null,
    updated_by: input.updatedBy,
    updated_at: new Date(),
  };
  const row = await db
    .insertInto("flow_draft")
    .values({ flow_id: flowId, ...values })
    .onConflict((oc) => oc.column("flow_id").doUpdateSet(values))
    .returning(["flow_id", "graph", "base_version", "updated_by", "updated_at"])
    .executeTakeFirstOrThrow();
  return toDraft(row);
}

function requireGraph(graph: unknown): void {
  if (graph === undefined || graph === null) throw new DataError("BAD_REQUEST", "The flow graph is missing.", "graph");
}

function toVersionInfo(row: {
  flow_id: string;
  version: number;
  message: string;
  created_by: string;
  created_at: Date;
}): FlowVersionInfo {
  return {
    flowId: row.flow_id,
    version: row.version,
    message: row.message,
    createdBy: row.created_by,
    createdAt: row.created_at,
  };
}

function toDraft(row: {
  flow_id: string;
  graph: unknown;
  base_version: number | null;
  updated_by: string;
  updated_at: Date;
}): FlowDraft {
  return {
    flowId: row.flow_id,
    graph: row.graph,
    baseVersion: row.base_version ?? undefined,
    updatedBy: row.updated_by,
    updatedAt: row.updated_at,
  };
}
