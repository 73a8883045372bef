import { sql, type Kysely } from "kysely";

// The answers of calls to deployed flows, kept for 24 hours so that a client can get one again: by its
// `Idempotency-Key` (a retry replays it and is not billed again) or by its request id
// (`GET /v2/requests/{id}`). A keyed call claims its key with a `running` row before anything runs, so a
// duplicate sent meanwhile finds the claim instead of running (and billing) a second time; the row turns
// `done` with the answer before the call's hold settles. Keys are per workspace. The answer is kept as
// the exact JSON text that is replayed (jsonb would reorder the fields) and never holds images: they are
// stripped before it is stored. Rows older than 24 hours are ignored and swept.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("api_request")
    // The request id (`X-Request-Id`), also the job id of an async call.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("idempotency_key", "text")
    // sha256 of the route and the canonical request body: the same key with another body is refused.
    .addColumn("body_hash", "text")
    .addColumn("state", "text", (c) => c.notNull().check(sql`state in ('running', 'done')`))
    .addColumn("status", "integer")
    .addColumn("body", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    // Rows without a key (null) never conflict: PostgreSQL treats nulls as distinct.
    .addUniqueConstraint("api_request_workspace_key_unique", ["workspace_id", "idempotency_key"])
    .execute();
  await db.schema.createIndex("api_request_created_at_idx").on("api_request").column("created_at").execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("api_request").execute();
}
