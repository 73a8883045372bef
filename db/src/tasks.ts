import { randomUUID } from "node:crypto";
import type { Kysely, Transaction } from "kysely";
import { DataError } from "./errors.js";
import { findTaskReferences, type FlowReference } from "./flow-references.js";
import { describeFlows, isUniqueViolation } from "./flows.js";
import { TASK_TYPES, type DB, type TaskTypeName } from "./schema.js";

/** A task with its labels in order. */
export interface TaskInfo {
  readonly id: string;
  readonly name: string;
  readonly type: TaskTypeName;
  readonly labels: readonly string[];
  readonly activeModelVersionId: string | undefined;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Refusal to change a task or label that saved flow versions use; `flows` are those flows. */
export class TaskInUseError extends DataError {
  constructor(
    message: string,
    readonly flows: readonly FlowReference[],
  ) {
    super("CONFLICT", message);
  }
}

export function isTaskType(value: string): value is TaskTypeName {
  return (TASK_TYPES as readonly string[]).includes(value);
}

/** Creates a task with its labels (in the order given). */
export async function createTask(
  db: Kysely<DB>,
  workspaceId: string,
  input: { readonly name: string; readonly type: string; readonly labels?: readonly string[] },
): Promise<TaskInfo> {
  const name = taskName(input.name);
  if (!isTaskType(input.type)) {
    throw new DataError("BAD_REQUEST", `Choose a task type: ${TASK_TYPES.join(", ")}.`, "type");
  }
  const type = input.type;
  const labels = labelNames(input.labels ?? []);
  const id = randomUUID();
  try {
    await db.transaction().execute(async (trx) => {
      await trx.insertInto("task").values({ id, workspace_id: workspaceId, name, type }).execute();
      if (labels.length > 0) {
        await trx
          .insertInto("task_label")
          .values(labels.map((label, position) => ({ task_id: id, name: label, position })))
          .execute();
      }
    });
  } catch (error) {
    if (isUniqueViolation(error, "task_workspace_name_key")) throw taskNameTaken(name);
    throw error;
  }
  return requireTask(db, workspaceId, id);
}

/** The workspace's tasks by name; `search` matches names case-insensitively. */
export async function listTasks(
  db: Kysely<DB>,
  workspaceId: string,
  options: { readonly search?: string; readonly type?: TaskTypeName } = {},
): Promise<TaskInfo[]> {
  let query = db
    .selectFrom("task")
    .select(["id", "name", "type", "active_model_version_id", "created_at", "updated_at"])
    .where("workspace_id", "=", workspaceId);
  const search = options.search?.trim();
  if (search) query = query.where("name", "ilike", `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%`);
  if (options.type) query = query.where("type", "=", options.type);
  const tasks = await query.orderBy("name").orderBy("id").execute();
  if (tasks.length === 0) return [];
  const labels = await db
    .selectFrom("task_label")
    .select(["task_id", "name"])
    .where(
      "task_id",
      "in",
      tasks.map((t) => t.id),
    )
    .orderBy("task_id")
    .orderBy("position")
    .orderBy("name")
    .execute();
  const byTask = new Map<string, string[]>();
  for (const label of labels) {
    const list = byTask.get(label.task_id) ?? [];
    list.push(label.name);
    byTask.set(label.task_id, list);
  }
  return tasks.map((t) => toTaskInfo(t, byTask.get(t.id) ?? []));
}

/** The task, or undefined when it does not exist in the workspace. */
export async function findTask(db: Kysely<DB>, workspaceId: string, taskId: string): Promise<TaskInfo | undefined> {
  const task = await db
    .selectFrom("task")
    .select(["id", "name", "type", "active_model_version_id", "created_at", "updated_at"])
    .where("id", "=", taskId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!task) return undefined;
  const labels = await db
    .selectFrom("task_label")
    .select("name")
    .where("task_id", "=", taskId)
    .orderBy("position")
    .orderBy("name")
    .execute();
  return toTaskInfo(
    task,
    labels.map((l) => l.name),
  );
}

/**
 * What running a task needs, in one small query: its type and active model version, without the labels
 * (a thousand ImageNet classes are read on every request otherwise; the model version carries its own).
 */
export async function findTaskModel(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
): Promise<{ id: string; type: TaskTypeName; activeModelVersionId: string | undefined } | undefined> {
  const row = await db
    .selectFrom("task")
    .select(["id", "type", "active_model_version_id"])
    .where("id", "=", taskId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row && { id: row.id, type: row.type, activeModelVersionId: row.active_model_version_id ?? undefined };
}

export async function renameTask(db: Kysely<DB>, workspaceId: string, taskId: string, name: string): Promise<TaskInfo> {
  const trimmed = taskName(name);
  try {
    const row = await db
      .updateTable("task")
      .set({ name: trimmed, updated_at: new Date() })
      .where("id", "=", taskId)
      .where("workspace_id", "=", workspaceId)
      .returning("id")
      .executeTakeFirst();
    if (!row) throw taskNotFound(taskId);
  } catch (error) {
    if (isUniqueViolation(error, "task_workspace_name_key")) throw taskNameTaken(trimmed);
    throw error;
  }
  return requireTask(db, workspaceId, taskId);
}

/** Appends labels to the task; a label it already has is refused. */
export async function addTaskLabels(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  names: readonly string[],
): Promise<TaskInfo> {
  const labels = labelNames(names);
  if (labels.length === 0) throw new DataError("BAD_REQUEST", "Enter at least one label.", "labels");
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    const existing = await trx
      .selectFrom("task_label")
      .select(["name", "position"])
      .where("task_id", "=", taskId)
      .execute();
    const taken = labels.filter((l) => existing.some((e) => e.name === l));
    if (taken.length > 0) {
      throw new DataError("CONFLICT", `The task already has the label${plural(taken)} ${quoteAll(taken)}.`, "labels");
    }
    const next = existing.reduce((max, e) => Math.max(max, e.position + 1), 0);
    await trx
      .insertInto("task_label")
      .values(labels.map((name, i) => ({ task_id: taskId, name, position: next + i })))
      .execute();
    await touchTask(trx, taskId);
  });
  return requireTask(db, workspaceId, taskId);
}

/**
 * Renames a label, keeping its position. Refused while saved flow versions use the label (they name it,
 * and saved versions never change).
 */
export async function renameTaskLabel(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  from: string,
  to: string,
): Promise<TaskInfo> {
  const [name] = labelNames([to]);
  if (name === undefined) throw new DataError("BAD_REQUEST", "Enter a label name.", "name");
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    await requireLabel(trx, taskId, from);
    if (name === from) return;
    const users = await findTaskReferences(trx, workspaceId, taskId, { label: from });
    if (users.length > 0) {
      throw new TaskInUseError(
        `The label "${from}" is used by ${describeFlows(users)}; saved versions keep their labels, so it cannot be renamed.`,
        users,
      );
    }
    try {
      await trx
        .updateTable("task_label")
        .set({ name })
        .where("task_id", "=", taskId)
        .where("name", "=", from)
        .execute();
    } catch (error) {
      if (isUniqueViolation(error, "task_label_pkey")) {
        throw new DataError("CONFLICT", `The task already has the label "${name}".`, "name");
      }
      throw error;
    }
    await touchTask(trx, taskId);
  });
  return requireTask(db, workspaceId, taskId);
}

/** Deletes a label; refused (listing the flows) while a saved flow version uses it. */
export async function deleteTaskLabel(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  label: string,
): Promise<TaskInfo> {
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    await requireLabel(trx, taskId, label);
    const users = await findTaskReferences(trx, workspaceId, taskId, { label });
    if (users.length > 0) {
      throw new TaskInUseError(
        `The label "${label}" is used by ${describeFlows(users)}; remove it there first.`,
        users,
      );
    }
    await trx.deleteFrom("task_label").where("task_id", "=", taskId).where("name", "=", label).execute();
    await touchTask(trx, taskId);
  });
  return requireTask(db, workspaceId, taskId);
}

/** Deletes a task with its labels and model versions; refused (listing the flows) while a saved flow version uses it. */
export async function deleteTask(db: Kysely<DB>, workspaceId: string, taskId: string): Promise<void> {
  await db.transaction().execute(async (trx) => {
    await lockTask(trx, workspaceId, taskId);
    const users = await findTaskReferences(trx, workspaceId, taskId);
    if (users.length > 0) {
      throw new TaskInUseError(`This task is used by ${describeFlows(users)}; remove it there first.`, users);
    }
    // The active version points back at the task's own versions; clear it so the cascade can remove them.
    await trx.updateTable("task").set({ active_model_version_id: null }).where("id", "=", taskId).execute();
    await trx.deleteFrom("task").where("id", "=", taskId).execute();
  });
}

/** Locks the task's row for the rest of the transaction; NOT_FOUND when it is not in the workspace. */
export async function lockTask(
  trx: Transaction<DB>,
  workspaceId: string,
  taskId: string,
): Promise<{ type: TaskTypeName; activeModelVersionId: string | null }> {
  const row = await trx
    .selectFrom("task")
    .select(["type", "active_model_version_id"])
    .where("id", "=", taskId)
    .where("workspace_id", "=", workspaceId)
    .forUpdate()
    .executeTakeFirst();
  if (!row) throw taskNotFound(taskId);
  return { type: row.type, activeModelVersionId: row.active_model_version_id };
}

export function taskNotFound(taskId: string): DataError {
  return new DataError("NOT_FOUND", `Task ${taskId} does not exist in this workspace.`);
}

async function requireTask(db: Kysely<DB>, workspaceId: string, taskId: string): Promise<TaskInfo> {
  const task = await findTask(db, workspaceId, taskId);
  if (!task) throw taskNotFound(taskId);
  return task;
}

async function requireLabel(trx: Transaction<DB>, taskId: string, label: string): Promise<void> {
  const row = await trx
    .selectFrom("task_label")
    .select("name")
    .where("task_id", "=", taskId)
    .where("name", "=", label)
    .executeTakeFirst();
  if (!row) throw new DataError("NOT_FOUND", `The task has no label "${label}".`, "label");
}

async function touchTask(trx: Transaction<DB>, taskId: string): Promise<void> {
  await trx.updateTable("task").set({ updated_at: new Date() }).where("id", "=", taskId).execute();
}

function toTaskInfo(
  row: {
    id: string;
    name: string;
    type: TaskTypeName;
    active_model_version_id: string | null;
    created_at: Date;
    updated_at: Date;
  },
  labels: readonly string[],
): TaskInfo {
  return {
    id: row.id,
    name: row.name,
    type: row.type,
    labels,
    activeModelVersionId: row.active_model_version_id ?? undefined,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
  };
}

function taskName(name: string): string {
  const trimmed = name.trim();
  if (trimmed === "") throw new DataError("BAD_REQUEST", "Enter a task name.", "name");
  return trimmed;
}

function taskNameTaken(name: string): DataError {
  return new DataError("CONFLICT", `A task named "${name}" already exists in this workspace.`, "name");
}

/** Trimmed, non-empty, without repeats; refuses blanks and duplicates with a message naming them. */
function labelNames(names: readonly string[]): string[] {
  const trimmed = names.map((n) => n.trim());
  if (trimmed.some((n) => n === "")) throw new DataError("BAD_REQUEST", "Labels cannot be blank.", "labels");
  const repeated = trimmed.filter((n, i) => trimmed.indexOf(n) !== i);
  if (repeated.length > 0) {
    const unique = [...new Set(repeated)];
    throw new DataError(
      "BAD_REQUEST",
      `The label${plural(unique)} ${quoteAll(unique)} ${unique.length === 1 ? "appears" : "appear"} more than once.`,
      "labels",
    );
  }
  return trimmed;
}

function plural(items: readonly unknown[]): string {
  return items.length === 1 ? "" : "s";
}

function quoteAll(items: readonly string[]): string {
  return items.map((i) => `"${i}"`).join(", ");
}
