import { sql, type Kysely } from "kysely";

// What a pre-annotation run did besides its progress: how many images took a proposal, how many predicted
// labels or boxes were dropped because the task lacks their label, how many images failed and why (the
// first ones: enough to say what went wrong without growing a row per image).
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("preannotation_run")
    .addColumn("proposed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("dropped", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failed", "integer", (c) => c.notNull().defaultTo(0))
    .addColumn("failures", "jsonb", (c) => c.notNull().defaultTo(sql`'[]'::jsonb`))
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .alterTable("preannotation_run")
    .dropColumn("proposed")
    .dropColumn("dropped")
    .dropColumn("failed")
    .dropColumn("failures")
    .execute();
}
