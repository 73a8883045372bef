import type { ColumnType, RawBuilder } from "kysely";

/** Tables of test sets and evaluations (migration 20261125101000); `DB` in schema.ts includes them. */

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type JsonColumn<T> = ColumnType<T, RawBuilder<T>, RawBuilder<T>>;

/** A labelled test set of a task. */
export interface TestSetTable {
  id: string;
  workspace_id: string;
  task_id: string;
  name: string;
  image_count: number;
  created_by: string;
  created_at: CreatedAt;
}

/** One image of a test set: its bytes in the test-image blob store, and what it truly shows. */
export interface TestSetImageTable {
  test_set_id: string;
  /** 0, 1, … in the order the upload listed the images. */
  position: number;
  file_name: string;
  sha256: string;
  size: number;
  truth: JsonColumn<unknown>;
}

export type EvaluationStatus = "running" | "done" | "failed";

/** A model version run over a test set. */
export interface EvaluationTable {
  id: string;
  workspace_id: string;
  task_id: string;
  model_version_id: string;
  test_set_id: string;
  status: ColumnType<EvaluationStatus, EvaluationStatus, EvaluationStatus>;
  processed: ColumnType<number, number | undefined, number>;
  total: number;
  metrics: ColumnType<unknown, RawBuilder<unknown> | null | undefined, RawBuilder<unknown> | null>;
  results: ColumnType<unknown, RawBuilder<unknown> | null | undefined, RawBuilder<unknown> | null>;
  error: string | null;
  created_by: string;
  created_at: CreatedAt;
  finished_at: Date | null;
}
