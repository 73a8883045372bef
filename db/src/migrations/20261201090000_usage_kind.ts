import { sql, type Kysely } from "kysely";

// Usage rows say what ran: a call to a deployed flow (with its token), a test run of a draft in the
// editor, or a model try on a task's page (both by a signed-in member, without a token). The member and,
// for a try, the task are kept so the Usage page can say who ran what; like flow and token ids they are
// not foreign keys, because usage outlives members and tasks.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("usage_event")
    .addColumn("kind", "text", (c) =>
      c
        .notNull()
        .defaultTo("call")
        .check(sql`kind in ('call', 'test_run', 'model_try')`),
    )
    .addColumn("user_id", "text")
    .addColumn("task_id", "text")
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("usage_event").dropColumn("task_id").dropColumn("user_id").dropColumn("kind").execute();
}
