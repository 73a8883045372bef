import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import { jsonb } from "./json.js";
import type { DB, TaskTypeName } from "./schema.js";
import { lockTask } from "./tasks.js";

/** A model version as the task page lists it. */
export interface ModelVersionInfo {
  readonly id: string;
  readonly taskId: string;
  /** 1, 2, … per task. */
  readonly version: number;
  readonly fileSha256: string;
  readonly fileSize: number;
  readonly adapter: unknown;
  readonly notes: string;
  readonly createdBy: string;
  readonly createdAt: Date;
  /** This is the task's active version. */
  readonly active: boolean;
}

/** What the engine needs to run a model version. */
export interface ModelVersionForRuntime {
  readonly id: string;
  readonly taskId: string;
  readonly taskType: TaskTypeName;
  /** The task's labels in order. */
  readonly labels: readonly string[];
  readonly adapter: unknown;
  readonly fileSha256: string;
  readonly fileSize: number;
}

const SHA256 = /^[0-9a-f]{64}$/;

/**
 * Records an uploaded, already validated model file as the task's next version (numbered under the
 * task's row lock, so concurrent uploads get distinct numbers). `activate` also makes it the active one.
 */
export async function createModelVersion(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  input: {
    /** The file as the blob store stored it. */
    readonly file: { readonly sha256: string; readonly size: number };
    readonly adapter: unknown;
    readonly notes?: string;
    readonly createdBy: string;
    readonly activate?: boolean;
  },
): Promise<ModelVersionInfo> {
  const { sha256, size } = input.file;
  if (!SHA256.test(sha256))
    throw new DataError("BAD_REQUEST", "The model file's sha256 must be 64 lowercase hex digits.", "file");
  if (!Number.isSafeInteger(size) || size < 0)
    throw new DataError("BAD_REQUEST", "The model file's size is invalid.", "file");
  if (input.adapter === undefined || input.adapter === null) {
    throw new DataError("BAD_REQUEST", "The model version needs an adapter.", "adapter");
  }
  const id = randomUUID();
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    await trx
      .insertInto("model_file")
      .values({ sha256, size })
      .onConflict((oc) => oc.column("sha256").doNothing())
      .execute();
    const file = await trx
      .selectFrom("model_file")
      .select("size")
      .where("sha256", "=", sha256)
      .executeTakeFirstOrThrow();
    if (file.size !== size) {
      throw new DataError("BAD_REQUEST", `The model file ${sha256} is ${file.size} bytes, not ${size}.`, "file");
    }
    const last = await trx
      .selectFrom("model_version")
      .select((eb) => eb.fn.max("version").as("version"))
      .where("task_id", "=", taskId)
      .executeTakeFirst();
    await trx
      .insertInto("model_version")
      .values({
        id,
        task_id: taskId,
        version: (last?.version ?? 0) + 1,
        file_sha256: sha256,
        file_size: size,
        adapter: jsonb(input.adapter),
        notes: (input.notes ?? "").trim(),
        created_by: input.createdBy,
      })
      .execute();
    if (input.activate) {
      await trx
        .updateTable("task")
        .set({ active_model_version_id: id, updated_at: new Date() })
        .where("id", "=", taskId)
        .execute();
    }
  });
  const created = await findModelVersion(db, workspaceId, id);
  if (!created) throw new Error(`model version ${id} vanished right after it was created`);
  return created;
}

/** The task's model versions, newest first. */
export async function listModelVersions(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
): Promise<ModelVersionInfo[]> {
  const rows = await versionQuery(db, workspaceId)
    .where("task.id", "=", taskId)
    .orderBy("model_version.version", "desc")
    .execute();
  return rows.map(toInfo);
}

/** The model version, or undefined when it does not belong to a task of the workspace. */
export async function findModelVersion(
  db: Kysely<DB>,
  workspaceId: string,
  modelVersionId: string,
): Promise<ModelVersionInfo | undefined> {
  const row = await versionQuery(db, workspaceId).where("model_version.id", "=", modelVersionId).executeTakeFirst();
  return row && toInfo(row);
}

/** Makes `modelVersionId` the task's active version: what every flow using the task runs from now on. */
export async function activateModelVersion(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  modelVersionId: string,
): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    const version = await trx
      .selectFrom("model_version")
      .select("id")
      .where("id", "=", modelVersionId)
      .where("task_id", "=", taskId)
      .executeTakeFirst();
    if (!version) {
      throw new DataError(
        "NOT_FOUND",
        `Model version ${modelVersionId} is not a version of this task.`,
        "modelVersionId",
      );
    }
    await trx
      .updateTable("task")
      .set({ active_model_version_id: modelVersionId, updated_at: new Date() })
      .where("id", "=", taskId)
      .execute();
  });
}

/**
 * A model version with its task's type and labels, by id alone. For the engine's model store, which is
 * shared by all workspaces: it only ever gets ids that a workspace-scoped task lookup resolved.
 */
export async function findModelVersionForRuntime(
  db: Kysely<DB>,
  modelVersionId: string,
): Promise<ModelVersionForRuntime | undefined> {
  const row = await db
    .selectFrom("model_version")
    .innerJoin("task", "task.id", "model_version.task_id")
    .select([
      "model_version.id",
      "model_version.task_id",
      "task.type",
      "model_version.adapter",
      "model_version.file_sha256",
      "model_version.file_size",
    ])
    .where("model_version.id", "=", modelVersionId)
    .executeTakeFirst();
  if (!row) return undefined;
  const labels = await db
    .selectFrom("task_label")
    .select("name")
    .where("task_id", "=", row.task_id)
    .orderBy("position")
    .orderBy("name")
    .execute();
  return {
    id: row.id,
    taskId: row.task_id,
    taskType: row.type,
    labels: labels.map((l) => l.name),
    adapter: row.adapter,
    fileSha256: row.file_sha256,
    fileSize: row.file_size,
  };
}

/**
 * Whether a model version names the file. An upload that fails validation deletes its blob only when
 * this is false: content-addressed files are shared, and the same bytes may belong to another version.
 */
export async function modelFileInUse(db: Kysely<DB>, sha256: string): Promise<boolean> {
  const row = await db.selectFrom("model_version").select("id").where("file_sha256", "=", sha256).executeTakeFirst();
  return row !== undefined;
}

function versionQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom("model_version")
    .innerJoin("task", "task.id", "model_version.task_id")
    .select([
      "model_version.id",
      "model_version.task_id",
      "model_version.version",
      "model_version.file_sha256",
      "model_version.file_size",
      "model_version.adapter",
      "model_version.notes",
      "model_version.created_by",
      "model_version.created_at",
      "task.active_model_version_id",
    ])
    .where("task.workspace_id", "=", workspaceId);
}

function toInfo(row: {
  id: string;
  task_id: string;
  version: number;
  file_sha256: string;
  file_size: number;
  adapter: unknown;
  notes: string;
  created_by: string;
  created_at: Date;
  active_model_version_id: string | null;
}): ModelVersionInfo {
  return {
    id: row.id,
    taskId: row.task_id,
    version: row.version,
    fileSha256: row.file_sha256,
    fileSize: row.file_size,
    adapter: row.adapter,
    notes: row.notes,
    createdBy: row.created_by,
    createdAt: row.created_at,
    active: row.active_model_version_id === row.id,
  };
}
