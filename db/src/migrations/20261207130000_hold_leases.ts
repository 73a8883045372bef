import { sql, type Kysely } from "kysely";

// Leases, so that what a dead process held ends quickly instead of after 15 minutes. A credit hold's
// `lease_until` is renewed by the process whose request runs (every few seconds) and any process releases
// the holds whose lease lapsed; a null lease is a queued job's hold, which lives as long as its job.
// A keyed call's `running` claim carries the same lease: a claim whose lease lapsed is taken over.
// Holds placed before this migration keep the 15 minutes they had.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("credit_hold").addColumn("lease_until", "timestamptz").execute();
  await sql`update credit_hold set lease_until = created_at + interval '15 minutes'`.execute(db);
  await db.schema.createIndex("credit_hold_lease_until_idx").on("credit_hold").column("lease_until").execute();
  await db.schema.alterTable("api_request").addColumn("lease_until", "timestamptz").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.alterTable("api_request").dropColumn("lease_until").execute();
  await db.schema.dropIndex("credit_hold_lease_until_idx").execute();
  await db.schema.alterTable("credit_hold").dropColumn("lease_until").execute();
}
