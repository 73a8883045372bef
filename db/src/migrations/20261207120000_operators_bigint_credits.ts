import { sql, type Kysely } from "kysely";

// Credits only the instance operator grants, and credit amounts past 2^31 - 1.
//
// `instance_operator` lists who may set plans, grant credits, open sign-up and name other operators: the
// owner created at setup, and whoever an operator names. An instance set up before this migration makes its
// first account (the setup owner) its operator. Like member.user_id, user_id carries no foreign key: better-auth
// creates its "user" table after our migrations, so on a fresh database there is no one to name yet.
//
// Every credit amount becomes bigint: with integer columns a workspace whose allowance + bonus passed
// 2^31 - 1 failed every call (`integer out of range`). Both drivers read int8 as a JavaScript number
// (connection.ts), and the amounts the app accepts keep every sum below 2^53 (credits.ts).
const CREDIT_COLUMNS = [
  ["credit_account", "monthly_allowance"],
  ["credit_account", "bonus"],
  ["credit_account", "used"],
  ["credit_account", "held"],
  ["credit_hold", "amount"],
  ["usage_event", "credits"],
] as const;

export async function up(db: Kysely<unknown>): Promise<void> {
  for (const [table, column] of CREDIT_COLUMNS) {
    await db.schema
      .alterTable(table)
      .alterColumn(column, (c) => c.setDataType("bigint"))
      .execute();
  }

  await db.schema
    .createTable("instance_operator")
    .addColumn("user_id", "text", (c) => c.primaryKey())
    // Who named them (null for the setup owner).
    .addColumn("added_by", "text")
    .addColumn("created_at", "timestamptz", (c) => c.notNull().defaultTo(sql`now()`))
    .execute();
  await sql`
    do $$ begin
      if to_regclass('"user"') is not null then
        insert into instance_operator (user_id)
        select id from "user" order by "createdAt", id limit 1
        on conflict do nothing;
      end if;
    end $$`.execute(db);
}

export async function down(db: Kysely<unknown>): Promise<void> {
  await db.schema.dropTable("instance_operator").execute();
  for (const [table, column] of CREDIT_COLUMNS) {
    await db.schema
      .alterTable(table)
      .alterColumn(column, (c) => c.setDataType("integer"))
      .execute();
  }
}
