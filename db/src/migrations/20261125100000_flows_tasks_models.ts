import { sql, type Kysely } from "kysely";

// Flows, their immutable versions and autosaved drafts; tasks, labels, model versions and the
// content-addressed model files they point at.
//
// Flows are soft-deleted (deleted_at): usage rows and logs keep naming a flow and version after it is
// gone, ids are never reused, and every query of the data layer filters deleted flows out, so a deleted
// flow is a 404 at once. Tasks are deleted for real: deleting one is refused while any saved version of a
// live flow uses it, so nothing that can still run points at it.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("flow")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(trim(name)) > 0`))
    // The number of the newest saved version (0 before the first save). Saving a version increments it
    // under the row lock of the update, which is what makes version numbers gap-free and unique.
    .addColumn("latest_version", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`latest_version >= 0`),
    )
    .addColumn("deployed_version", "integer")
    .addColumn("deployed_at", "timestamptz")
    .addColumn("deployed_by", "text")
    .addColumn("last_called_at", "timestamptz")
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("deleted_at", "timestamptz")
    .execute();
  await db.schema.createIndex("flow_workspace_id_idx").on("flow").columns(["workspace_id", "created_at"]).execute();
  // Names identify flows in pickers and lists, so two live flows of a workspace never share one.
  await db.schema
    .createIndex("flow_workspace_name_key")
    .on("flow")
    .columns(["workspace_id", "name"])
    .unique()
    .where(sql.ref("deleted_at"), "is", null)
    .execute();

  await db.schema
    .createTable("flow_version")
    .addColumn("flow_id", "text", (c) => c.notNull().references("flow.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("graph", "jsonb", (c) => c.notNull())
    .addColumn("message", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addPrimaryKeyConstraint("flow_version_pkey", ["flow_id", "version"])
    .execute();
  // A deployed version must be a saved version of the same flow.
  await db.schema
    .alterTable("flow")
    .addForeignKeyConstraint("flow_deployed_version_fkey", ["id", "deployed_version"], "flow_version", [
      "flow_id",
      "version",
    ])
    .execute();
  // Saved versions are immutable: runs, usage rows and cached plans all rely on (flow, version) meaning
  // one graph forever. The trigger makes that hold even for code that bypasses the data layer.
  await sql`
    create function flow_version_immutable() returns trigger language plpgsql as $$
    begin
      raise exception 'flow versions are immutable: save a new version instead';
    end
    $$
  `.execute(db);
  await sql`
    create trigger flow_version_no_update before update on flow_version
    for each row execute function flow_version_immutable()
  `.execute(db);

  await db.schema
    .createTable("flow_draft")
    .addColumn("flow_id", "text", (c) => c.primaryKey().references("flow.id").onDelete("cascade"))
    .addColumn("graph", "jsonb", (c) => c.notNull())
    .addColumn("base_version", "integer")
    .addColumn("updated_by", "text", (c) => c.notNull())
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("model_file")
    .addColumn("sha256", "text", (c) => c.primaryKey().check(sql`sha256 ~ '^[0-9a-f]{64}$'`))
    .addColumn("size", "bigint", (c) => c.notNull().check(sql`size >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();

  await db.schema
    .createTable("task")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(trim(name)) > 0`))
    .addColumn("type", "text", (c) =>
      c.notNull().check(sql`type in ('categorization', 'tagging', 'regression', 'detection')`),
    )
    .addColumn("active_model_version_id", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("updated_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("task_workspace_name_key")
    .on("task")
    .columns(["workspace_id", "name"])
    .unique()
    .execute();

  await db.schema
    .createTable("task_label")
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(trim(name)) > 0`))
    .addColumn("position", "integer", (c) => c.notNull())
    .addPrimaryKeyConstraint("task_label_pkey", ["task_id", "name"])
    .execute();

  await db.schema
    .createTable("model_version")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("task_id", "text", (c) => c.notNull().references("task.id").onDelete("cascade"))
    .addColumn("version", "integer", (c) => c.notNull().check(sql`version >= 1`))
    .addColumn("file_sha256", "text", (c) => c.notNull().references("model_file.sha256"))
    .addColumn("file_size", "bigint", (c) => c.notNull())
    .addColumn("adapter", "jsonb", (c) => c.notNull())
    .addColumn("notes", "text", (c) => c.notNull().defaultTo(""))
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addUniqueConstraint("model_version_task_version_key", ["task_id", "version"])
    // Target of the task's active version key below.
    .addUniqueConstraint("model_version_task_id_key", ["task_id", "id"])
    .execute();
  await db.schema.createIndex("model_version_file_sha256_idx").on("model_version").column("file_sha256").execute();
  // The active version of a task is one of that task's versions, never another task's.
  await db.schema
    .alterTable("task")
    .addForeignKeyConstraint("task_active_model_version_fkey", ["id", "active_model_version_id"], "model_version", [
      "task_id",
      "id",
    ])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("task").dropConstraint("task_active_model_version_fkey").execute();
  await db.schema.dropTable("model_version").execute();
  await db.schema.dropTable("task_label").execute();
  await db.schema.dropTable("task").execute();
  await db.schema.dropTable("model_file").execute();
  await db.schema.dropTable("flow_draft").execute();
  await db.schema.alterTable("flow").dropConstraint("flow_deployed_version_fkey").execute();
  await db.schema.dropTable("flow_version").execute();
  await sql`drop function flow_version_immutable()`.execute(db);
  await db.schema.dropTable("flow").execute();
}
