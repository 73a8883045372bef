import { sql } from "kysely";
import { Migrator } from "kysely/migration";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createDatabase, type Database } from "./database.js";
import { jsonb } from "./json.js";
import { migrateToLatest } from "./migrate.js";
import { migrations } from "./migrations/index.js";
import { createTestDatabase, createTestDatabaseUrl } from "./testing.js";

const onPostgres = Boolean(process.env.DATABASE_URL);
const migrationNames = Object.keys(migrations);

async function tableNames(database: Database): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables where table_schema = 'public' order by table_name
  `.execute(database.db);
  return result.rows.map((r) => r.table_name);
}

describe("migrations", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase({ migrate: false });
  });
  afterAll(() => database.close());

  test("apply from an empty database, then do nothing the second time", async () => {
    expect(await tableNames(database)).toEqual([]);

    const first = await migrateToLatest(database.db);
    expect(first.applied).toEqual(migrationNames);
    expect(await tableNames(database)).toEqual(
      expect.arrayContaining(["workspace", "member", "invitation", "instance_setting", "kysely_migration"]),
    );

    const second = await migrateToLatest(database.db);
    expect(second.applied).toEqual([]);
    const recorded = await database.db
      .selectFrom("kysely_migration" as never)
      .select(sql<string>`name`.as("name"))
      .execute();
    expect(recorded.map((r) => r.name)).toEqual(migrationNames);
  });

  test("an instance set up before operators existed makes its first account the operator, credits kept as bigint", async () => {
    const old = await createTestDatabase({ migrate: false });
    try {
      const migrator = new Migrator({
        db: old.db,
        provider: { getMigrations: () => Promise.resolve({ ...migrations }) },
      });
      expect((await migrator.migrateTo("20261201090000_usage_kind")).error).toBeUndefined();
      // better-auth's user table, as it creates it, with the setup owner and a later account.
      await sql`create table "user" (id text primary key, name text not null, email text not null unique,
        "emailVerified" boolean not null, image text, "createdAt" timestamptz not null, "updatedAt" timestamptz not null)`.execute(
        old.db,
      );
      await sql`insert into "user" values
        ('later', 'Later', 'later@example.com', false, null, '2026-12-02', '2026-12-02'),
        ('owner', 'Owner', 'owner@example.com', false, null, '2026-12-01', '2026-12-01')`.execute(old.db);
      await sql`insert into workspace (id, name) values ('w', 'W')`.execute(old.db);
      await sql`insert into credit_account (workspace_id, plan, monthly_allowance, bonus, used, held, period_start, reset_day)
        values ('w', 'free', 3000, 2000000000, 12, 0, now(), 1)`.execute(old.db);

      expect((await migrateToLatest(old.db)).applied).toEqual(
        migrationNames.slice(migrationNames.indexOf("20261201090000_usage_kind") + 1),
      );
      const operators = await old.db.selectFrom("instance_operator").select("user_id").execute();
      expect(operators).toEqual([{ user_id: "owner" }]);
      const types = await sql<{ column_name: string; data_type: string }>`
        select column_name, data_type from information_schema.columns
        where table_name in ('credit_account', 'credit_hold', 'usage_event')
          and column_name in ('monthly_allowance', 'bonus', 'used', 'held', 'amount', 'credits')`.execute(old.db);
      expect(types.rows).toHaveLength(6);
      expect(new Set(types.rows.map((r) => r.data_type))).toEqual(new Set(["bigint"]));
      await sql`update credit_account set bonus = bonus + 3000000000`.execute(old.db);
      const account = await old.db.selectFrom("credit_account").select(["bonus", "used"]).executeTakeFirstOrThrow();
      expect(account).toEqual({ bonus: 5_000_000_000, used: 12 });
    } finally {
      await old.close();
    }
  });

  test("are listed in timestamp order with timestamp-named keys", () => {
    expect(migrationNames).toEqual([...migrationNames].sort());
    for (const name of migrationNames) expect(name).toMatch(/^\d{14}_[a-z0-9-_]+$/);
  });
});

describe.skipIf(!onPostgres)("concurrent start on PostgreSQL", () => {
  test("two processes starting at once both succeed and apply each migration once", async () => {
    const target = await createTestDatabaseUrl();
    try {
      const [a, b] = await Promise.all([createDatabase({ url: target.url }), createDatabase({ url: target.url })]);
      try {
        const recorded = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(a.db);
        expect(recorded.rows.map((r) => r.name)).toEqual(migrationNames);
        expect(await tableNames(b)).toEqual(expect.arrayContaining(["workspace", "member", "invitation"]));
      } finally {
        await Promise.all([a.close(), b.close()]);
      }
    } finally {
      await target.drop();
    }
  });
});

describe("driver differences are hidden", () => {
  let database: Database;
  beforeAll(async () => {
    database = await createTestDatabase();
  });
  afterAll(() => database.close());

  test("bigint results read as numbers", async () => {
    await database.db.insertInto("workspace").values({ id: "w1", name: "One" }).execute();
    const row = await database.db
      .selectFrom("workspace")
      .select((eb) => eb.fn.countAll().as("n"))
      .executeTakeFirstOrThrow();
    expect(row.n).toBe(1);
    const big = await sql<{ v: unknown }>`select cast(9007199254740991 as bigint) as v`.execute(database.db);
    expect(big.rows[0]?.v).toBe(Number.MAX_SAFE_INTEGER);
  });

  test("jsonb() writes arrays, objects and strings the same way on both drivers", async () => {
    for (const value of [[1, 2, 3], { a: [1, { b: "c" }] }, "text", 42, null]) {
      const result = await sql<{ v: unknown }>`select ${jsonb(value)} as v`.execute(database.db);
      expect(result.rows[0]?.v).toEqual(value);
    }
  });

  test("withLock runs holders of the same lock one after another", async () => {
    const events: string[] = [];
    const hold = (id: string) =>
      database.withLock("test-lock", async () => {
        events.push(`${id} start`);
        await new Promise((resolve) => setTimeout(resolve, 50));
        events.push(`${id} end`);
      });
    await Promise.all([hold("a"), hold("b")]);
    // Either may go first (pool connections are handed out in any order), but never both at once.
    const first = events[0]?.split(" ")[0];
    const second = first === "a" ? "b" : "a";
    expect(events).toEqual([`${first} start`, `${first} end`, `${second} start`, `${second} end`]);
  });

  test("withLock releases the lock when the holder fails", async () => {
    await expect(database.withLock("failing", () => Promise.reject(new Error("boom")))).rejects.toThrow("boom");
    await expect(database.withLock("failing", () => Promise.resolve("next"))).resolves.toBe("next");
  });
});

describe("connection options", () => {
  test("a DATABASE_URL that is not PostgreSQL is refused with a message naming it", async () => {
    await expect(createDatabase({ url: "mysql://x" })).rejects.toThrow(/DATABASE_URL must start with postgres/);
  });
});
