import { sql, type Kysely } from "kysely";

// The training set of each task: images (content in the training-image blob store by sha256, one row per
// workspace and content), the task's items (an image in the task's set, with its annotation), the
// confirmations members gave (review: a task says how many different members must confirm an image),
// annotation jobs that split a set's work among members, and pre-annotation runs of a model version.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("task")
    .addColumn("checks_required", "integer", (c) =>
      c
        .notNull()
        .defaultTo(1)
        .check(sql`checks_required between 1 and 10`),
    )
    .execute();

  await db.schema
    .createTable("training_image")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("sha256", "text", (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("size", "bigint", (c) => c.notNull())
    .addColumn("width", "integer", (c) => c.notNull().check(sql`width > 0`))
    .addColumn("height", "integer", (c) => c.notNull().check(sql`height > 0`))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("source", "text", (c) => c.notNull().check(sql`source in ('upload', 'api', 'import', 'capture')`))
    // A small webp made on first request, in the thumbnail blob store; null until then.
    .addColumn("thumbnail_sha256", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("training_image_workspace_sha256_key", ["workspace_id", "sha256"])
    .execute();
  // A blob is deleted only when no workspace's image row names it any more.
  await db.schema.createIndex("training_image_sha256_idx").on("training_image").column("sha256").execute();

  await db.schema
    .createTable("training_item")
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    .addColumn("image_id", "text", (c) => c.notNull().references("training_image.id").onDelete("cascade"))
    // 1, 2, … per task in the order items were added: the list's order and its cursor.
    .addColumn("position", "integer", (c) => c.notNull().check(sql`position > 0`))
    // The TrainingAnnotation ({ kind: "category" | "tags" | "value" | "boxes", … }); null: unlabelled.
    .addColumn("annotation", "jsonb")
    // Where the annotation came from: a member, an imported layout, or a model's proposal (marked until
    // a member accepts, edits or rejects it).
    .addColumn("annotation_source", "text", (c) => c.check(sql`annotation_source in ('person', 'import', 'model')`))
    .addColumn("proposed_by_model_version_id", "text")
    .addColumn("annotated_by", "text")
    .addColumn("annotated_at", "timestamptz")
    .addColumn("added_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("training_item_pkey", ["task_id", "image_id"])
    .addUniqueConstraint("training_item_task_position_key", ["task_id", "position"])
    .addCheckConstraint(
      "training_item_annotation_source_set_check",
      sql`(annotation is null) = (annotation_source is null)`,
    )
    .execute();
  await db.schema.createIndex("training_item_image_id_idx").on("training_item").column("image_id").execute();

  await db.schema
    .createTable("training_confirmation")
    .addColumn("task_id", "text", (c) => c.notNull())
    .addColumn("image_id", "text", (c) => c.notNull())
    .addColumn("user_id", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("training_confirmation_pkey", ["task_id", "image_id", "user_id"])
    .addForeignKeyConstraint(
      "training_confirmation_item_fkey",
      ["task_id", "image_id"],
      "training_item",
      ["task_id", "image_id"],
      (c) => c.onDelete("cascade"),
    )
    .execute();

  await db.schema
    .createTable("annotation_job")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    .addColumn("assignee_id", "text", (c) => c.notNull())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("annotation_job_assignee_idx").on("annotation_job").columns(["assignee_id"]).execute();
  await db.schema
    .createTable("annotation_job_item")
    .addColumn("job_id", "text", (c) => c.notNull().references("annotation_job.id").onDelete("cascade"))
    .addColumn("task_id", "text", (c) => c.notNull())
    .addColumn("image_id", "text", (c) => c.notNull())
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("annotation_job_item_pkey", ["job_id", "image_id"])
    .addForeignKeyConstraint(
      "annotation_job_item_item_fkey",
      ["task_id", "image_id"],
      "training_item",
      ["task_id", "image_id"],
      (c) => c.onDelete("cascade"),
    )
    .execute();

  // A model version proposing annotations for selected items, as a job with progress (item 5).
  await db.schema
    .createTable("preannotation_run")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    // Any model version of the workspace (another task's detector for a new task): no cascade from it.
    .addColumn("model_version_id", "text", (c) => c.notNull())
    .addColumn("status", "text", (c) =>
      c.notNull().check(sql`status in ('queued', 'running', 'done', 'failed', 'cancelled')`),
    )
    .addColumn("image_ids", "jsonb", (c) => c.notNull())
    .addColumn("processed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("error", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("preannotation_run").execute();
  await db.schema.dropTable("annotation_job_item").execute();
  await db.schema.dropTable("annotation_job").execute();
  await db.schema.dropTable("training_confirmation").execute();
  await db.schema.dropTable("training_item").execute();
  await db.schema.dropTable("training_image").execute();
  await db.schema.alterTable("task").dropColumn("checks_required").execute();
}
