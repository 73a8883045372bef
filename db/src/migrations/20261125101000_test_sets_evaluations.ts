import { sql, type Kysely } from "kysely";

// Labelled test sets of a task (their images are training data, kept per workspace in a blob store of
// their own and deletable with the set) and evaluations: one model version run over one test set, with
// its progress while it runs and its metrics and per-image results once done.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("test_set")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(trim(name)) > 0`))
    .addColumn("image_count", "integer", (c) => c.notNull().check(sql`image_count >= 0`))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("test_set_task_id_idx").on("test_set").columns(["task_id", "created_at"]).execute();

  await db.schema
    .createTable("test_set_image")
    .addColumn("test_set_id", "text", (c) => c.notNull().references("test_set.id").onDelete("cascade"))
    .addColumn("position", "integer", (c) => c.notNull().check(sql`position >= 0`))
    .addColumn("file_name", "text", (c) => c.notNull())
    .addColumn("sha256", "text", (c) => c.notNull().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("size", "bigint", (c) => c.notNull())
    // What the image truly shows, by task type: a label, label names, a number, or objects with boxes.
    .addColumn("truth", "jsonb", (c) => c.notNull())
    .addPrimaryKeyConstraint("test_set_image_pkey", ["test_set_id", "position"])
    .execute();
  // Deleting a set removes a blob only when no other set's image has the same content.
  await db.schema.createIndex("test_set_image_sha256_idx").on("test_set_image").column("sha256").execute();

  await db.schema
    .createTable("evaluation")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    .addColumn("model_version_id", "text", (c) => c.notNull().references("model_version.id").onDelete("cascade"))
    .addColumn("test_set_id", "text", (c) => c.notNull().references("test_set.id").onDelete("cascade"))
    .addColumn("status", "text", (c) => c.notNull().check(sql`status in ('running', 'done', 'failed')`))
    .addColumn("processed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("total", "integer", (c) => c.notNull())
    .addColumn("metrics", "jsonb")
    .addColumn("results", "jsonb")
    .addColumn("error", "text")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("finished_at", "timestamptz")
    .execute();
  await db.schema.createIndex("evaluation_task_id_idx").on("evaluation").columns(["task_id", "created_at"]).execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("evaluation").execute();
  await db.schema.dropTable("test_set_image").execute();
  await db.schema.dropTable("test_set").execute();
}
