import { sql, type Kysely } from "kysely";

// API tokens of a workspace, its credit account, open credit holds, and one usage row per settled request.
//
// Credits are metered in the database so any number of engine processes can share one account:
// `credit_account` carries `used` and `held`, and a hold is a conditional UPDATE that only succeeds
// while `allowance + bonus - used - held >= amount`, so the balance never goes below zero whatever the
// concurrency. Each hold also has a `credit_hold` row; settling deletes it and only the statement that
// deleted it moves the credits, so a request (or a retried job) is settled exactly once.
export async function up(db: Kysely<unknown>): Promise<void> {
  await db.schema
    .createTable("api_token")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("name", "text", (c) => c.notNull().check(sql`length(trim(name)) > 0`))
    // The first characters of the key, shown in lists so a user can tell tokens apart.
    .addColumn("prefix", "text", (c) => c.notNull())
    // sha256 of the whole key: keys are 256 random bits, so a fast hash is enough and lookups stay cheap.
    .addColumn("token_hash", "text", (c) => c.notNull().unique())
    .addColumn("created_by", "text", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .addColumn("last_used_at", "timestamptz")
    .addColumn("revoked_at", "timestamptz")
    .execute();
  await db.schema.createIndex("api_token_workspace_id_idx").on("api_token").column("workspace_id").execute();

  await db.schema
    .createTable("credit_account")
    .addColumn("workspace_id", "text", (c) => c.primaryKey().references("workspace.id").onDelete("cascade"))
    .addColumn("plan", "text", (c) => c.notNull())
    .addColumn("monthly_allowance", "integer", (c) => c.notNull().check(sql`monthly_allowance >= 0`))
    // Credits added by an admin for the current period, on top of the allowance.
    .addColumn("bonus", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`bonus >= 0`),
    )
    .addColumn("used", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`used >= 0`),
    )
    .addColumn("held", "integer", (c) =>
      c
        .notNull()
        .defaultTo(0)
        .check(sql`held >= 0`),
    )
    .addColumn("period_start", "timestamptz", (c) => c.notNull())
    // Day of the month (1-28) a new period starts on, so every month has it.
    .addColumn("reset_day", "integer", (c) => c.notNull().check(sql`reset_day between 1 and 28`))
    .execute();

  await db.schema
    .createTable("credit_hold")
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    .addColumn("amount", "integer", (c) => c.notNull().check(sql`amount >= 0`))
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema.createIndex("credit_hold_created_at_idx").on("credit_hold").column("created_at").execute();

  await db.schema
    .createTable("usage_event")
    // The request's id (or the async job's): settling writes it once.
    .addColumn("id", "text", (c) => c.primaryKey())
    .addColumn("workspace_id", "text", (c) => c.notNull().references("workspace.id").onDelete("cascade"))
    // No foreign keys to flow or token: usage outlives them (flows are soft-deleted, tokens revoked).
    .addColumn("flow_id", "text")
    .addColumn("flow_version", "integer")
    .addColumn("token_id", "text")
    .addColumn("records", "integer", (c) => c.notNull())
    .addColumn("credits", "integer", (c) => c.notNull().check(sql`credits >= 0`))
    .addColumn("status", "integer", (c) => c.notNull())
    .addColumn("latency_ms", "integer", (c) => c.notNull())
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await db.schema
    .createIndex("usage_event_workspace_time_idx")
    .on("usage_event")
    .columns(["workspace_id", "created_at"])
    .execute();
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("usage_event").execute();
  await db.schema.dropTable("credit_hold").execute();
  await db.schema.dropTable("credit_account").execute();
  await db.schema.dropTable("api_token").execute();
}
