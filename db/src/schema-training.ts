import type { ColumnType, RawBuilder } from "kysely";

/** Tables of training sets, review, annotation jobs and pre-annotation (migration 20261207100000). */

type CreatedAt = ColumnType<Date, Date | undefined, never>;
type JsonColumn<T> = ColumnType<T, RawBuilder<T>, RawBuilder<T>>;

/** How an image came in: the browser, the token API, a script or export, a deployed flow's capture. */
export type TrainingImageSource = "upload" | "api" | "import" | "capture";
export const TRAINING_IMAGE_SOURCES: readonly TrainingImageSource[] = ["upload", "api", "import", "capture"];

/** Who gave an item its annotation: a member, an imported layout, or a model's proposal. */
export type AnnotationSource = "person" | "import" | "model";

/** One image content of a workspace; its bytes are in the training-image blob store. */
export interface TrainingImageTable {
  id: string;
  workspace_id: string;
  sha256: string;
  /** bigint: a string on pg, a number on PGlite; read through Number(). */
  size: ColumnType<string | number, number, number>;
  width: number;
  height: number;
  file_name: string;
  source: TrainingImageSource;
  thumbnail_sha256: ColumnType<string | null, string | null | undefined, string | null>;
  created_by: string;
  created_at: CreatedAt;
}

/** An image in a task's training set, with its annotation (null: unlabelled). */
export interface TrainingItemTable {
  task_id: string;
  image_id: string;
  position: number;
  annotation: ColumnType<unknown, RawBuilder<unknown> | null | undefined, RawBuilder<unknown> | null>;
  annotation_source: ColumnType<AnnotationSource | null, AnnotationSource | null | undefined, AnnotationSource | null>;
  proposed_by_model_version_id: ColumnType<string | null, string | null | undefined, string | null>;
  annotated_by: ColumnType<string | null, string | null | undefined, string | null>;
  annotated_at: ColumnType<Date | null, Date | null | undefined, Date | null>;
  added_at: CreatedAt;
}

/** A member's confirmation of an item's current annotation. */
export interface TrainingConfirmationTable {
  task_id: string;
  image_id: string;
  user_id: string;
  created_at: CreatedAt;
}

/** Items of a task assigned to one member. */
export interface AnnotationJobTable {
  id: string;
  workspace_id: string;
  task_id: string;
  assignee_id: string;
  created_by: string;
  created_at: CreatedAt;
}

export interface AnnotationJobItemTable {
  job_id: string;
  task_id: string;
  image_id: string;
  position: number;
}

export type PreannotationStatus = "queued" | "running" | "done" | "failed" | "cancelled";

/** An image a pre-annotation run could not propose for, and why. */
export interface PreannotationFailure {
  readonly imageId: string;
  readonly fileName: string;
  readonly reason: string;
}

/** A model version proposing annotations for selected items. */
export interface PreannotationRunTable {
  id: string;
  workspace_id: string;
  task_id: string;
  model_version_id: string;
  status: PreannotationStatus;
  image_ids: JsonColumn<string[]>;
  processed: ColumnType<number, number | undefined, number>;
  total: number;
  proposed: ColumnType<number, number | undefined, number>;
  dropped: ColumnType<number, number | undefined, number>;
  failed: ColumnType<number, number | undefined, number>;
  /** The first images that failed: `{ imageId, fileName, reason }`. */
  failures: ColumnType<
    PreannotationFailure[],
    RawBuilder<PreannotationFailure[]> | undefined,
    RawBuilder<PreannotationFailure[]>
  >;
  error: string | null;
  created_by: string;
  created_at: CreatedAt;
  finished_at: Date | null;
}
