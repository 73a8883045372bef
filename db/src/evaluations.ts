import { randomUUID } from "node:crypto";
import type { Kysely } from "kysely";
import { DataError } from "./errors.js";
import { jsonb } from "./json.js";
import type { DB } from "./schema.js";
import type { EvaluationStatus } from "./schema-evaluations.js";

/** An evaluation as lists show it (without per-image results). */
export interface EvaluationInfo {
  readonly id: string;
  readonly taskId: string;
  readonly modelVersionId: string;
  readonly modelVersion: number;
  readonly testSetId: string;
  readonly testSetName: string;
  readonly status: EvaluationStatus;
  readonly processed: number;
  readonly total: number;
  readonly metrics: unknown;
  readonly error: string | undefined;
  readonly createdAt: Date;
  readonly finishedAt: Date | undefined;
}

/** Starts an evaluation of a model version of the task on a test set of the same task. */
export async function createEvaluation(
  db: Kysely<DB>,
  workspaceId: string,
  input: {
    readonly taskId: string;
    readonly modelVersionId: string;
    readonly testSetId: string;
    readonly createdBy: string;
  },
): Promise<EvaluationInfo> {
  const version = await db
    .selectFrom("model_version")
    .innerJoin("task", "task.id", "model_version.task_id")
    .select("model_version.id")
    .where("model_version.id", "=", input.modelVersionId)
    .where("task.id", "=", input.taskId)
    .where("task.workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!version) {
    throw new DataError(
      "NOT_FOUND",
      `Model version ${input.modelVersionId} is not a version of this task.`,
      "modelVersionId",
    );
  }
  const set = await db
    .selectFrom("test_set")
    .select("image_count")
    .where("id", "=", input.testSetId)
    .where("task_id", "=", input.taskId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  if (!set)
    throw new DataError("NOT_FOUND", `Test set ${input.testSetId} is not a test set of this task.`, "testSetId");
  const id = randomUUID();
  await db
    .insertInto("evaluation")
    .values({
      id,
      workspace_id: workspaceId,
      task_id: input.taskId,
      model_version_id: input.modelVersionId,
      test_set_id: input.testSetId,
      status: "running",
      total: set.image_count,
      created_by: input.createdBy,
    })
    .execute();
  return (await findEvaluation(db, workspaceId, id)) as EvaluationInfo;
}

export async function updateEvaluationProgress(db: Kysely<DB>, evaluationId: string, processed: number): Promise<void> {
  await db
    .updateTable("evaluation")
    .set({ processed })
    .where("id", "=", evaluationId)
    .where("status", "=", "running")
    .execute();
}

/** Stores the metrics and per-image results of a finished evaluation. */
export async function finishEvaluation(
  db: Kysely<DB>,
  evaluationId: string,
  outcome: { readonly metrics: unknown; readonly results: unknown; readonly processed: number },
): Promise<void> {
  await db
    .updateTable("evaluation")
    .set({
      status: "done",
      processed: outcome.processed,
      metrics: jsonb(outcome.metrics),
      results: jsonb(outcome.results),
      finished_at: new Date(),
    })
    .where("id", "=", evaluationId)
    .execute();
}

export async function failEvaluation(db: Kysely<DB>, evaluationId: string, error: string): Promise<void> {
  await db
    .updateTable("evaluation")
    .set({ status: "failed", error, finished_at: new Date() })
    .where("id", "=", evaluationId)
    .execute();
}

/** The task's evaluations, newest first. */
export async function listEvaluations(db: Kysely<DB>, workspaceId: string, taskId: string): Promise<EvaluationInfo[]> {
  const rows = await evaluationQuery(db, workspaceId)
    .where("evaluation.task_id", "=", taskId)
    .orderBy("evaluation.created_at", "desc")
    .orderBy("evaluation.id")
    .execute();
  return rows.map(toInfo);
}

export async function findEvaluation(
  db: Kysely<DB>,
  workspaceId: string,
  evaluationId: string,
): Promise<EvaluationInfo | undefined> {
  const row = await evaluationQuery(db, workspaceId).where("evaluation.id", "=", evaluationId).executeTakeFirst();
  return row && toInfo(row);
}

/** Per-image results of a finished evaluation (undefined while it runs or when it does not exist). */
export async function findEvaluationResults(
  db: Kysely<DB>,
  workspaceId: string,
  evaluationId: string,
): Promise<unknown> {
  const row = await db
    .selectFrom("evaluation")
    .select("results")
    .where("id", "=", evaluationId)
    .where("workspace_id", "=", workspaceId)
    .executeTakeFirst();
  return row?.results ?? undefined;
}

/** Evaluations a stopped process left running can never finish: mark them failed (at start-up). */
export async function failStaleEvaluations(db: Kysely<DB>, startedBefore: Date): Promise<number> {
  const rows = await db
    .updateTable("evaluation")
    .set({
      status: "failed",
      error: "The server stopped while this evaluation ran; run it again.",
      finished_at: new Date(),
    })
    .where("status", "=", "running")
    .where("created_at", "<", startedBefore)
    .returning("id")
    .execute();
  return rows.length;
}

function evaluationQuery(db: Kysely<DB>, workspaceId: string) {
  return db
    .selectFrom("evaluation")
    .innerJoin("model_version", "model_version.id", "evaluation.model_version_id")
    .innerJoin("test_set", "test_set.id", "evaluation.test_set_id")
    .select([
      "evaluation.id",
      "evaluation.task_id",
      "evaluation.model_version_id",
      "model_version.version",
      "evaluation.test_set_id",
      "test_set.name as test_set_name",
      "evaluation.status",
      "evaluation.processed",
      "evaluation.total",
      "evaluation.metrics",
      "evaluation.error",
      "evaluation.created_at",
      "evaluation.finished_at",
    ])
    .where("evaluation.workspace_id", "=", workspaceId);
}

function toInfo(row: {
  id: string;
  task_id: string;
  model_version_id: string;
  version: number;
  test_set_id: string;
  test_set_name: string;
  status: EvaluationStatus;
  processed: number;
  total: number;
  metrics: unknown;
  error: string | null;
  created_at: Date;
  finished_at: Date | null;
}): EvaluationInfo {
  return {
    id: row.id,
    taskId: row.task_id,
    modelVersionId: row.model_version_id,
    modelVersion: row.version,
    testSetId: row.test_set_id,
    testSetName: row.test_set_name,
    status: row.status,
    processed: row.processed,
    total: row.total,
    metrics: row.metrics ?? undefined,
    error: row.error ?? undefined,
    createdAt: row.created_at,
    finishedAt: row.finished_at ?? undefined,
  };
}
