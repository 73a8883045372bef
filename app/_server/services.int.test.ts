import { createDatabase, type Database } from "@vizflow/db";
import { createTestDatabaseUrl } from "@vizflow/db/testing";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test, vi } from "vitest";
import { createServices } from "./services";

async function authTables(database: Database): Promise<string[]> {
  const result = await sql<{ table_name: string }>`
    select table_name from information_schema.tables
    where table_schema = 'public' and table_name in ('user', 'session', 'account', 'verification')
    order by table_name
  `.execute(database.db);
  return result.rows.map((r) => r.table_name);
}

async function secrets(database: Database): Promise<string[]> {
  const rows = await database.db
    .selectFrom("instance_setting")
    .select("value")
    .where("name", "=", "auth_secret")
    .execute();
  return rows.map((r) => r.value);
}

describe("start-up", () => {
  let target: Awaited<ReturnType<typeof createTestDatabaseUrl>>;
  let database: Database;
  beforeAll(async () => {
    target = await createTestDatabaseUrl();
    database = await createDatabase({ url: target.url });
  });
  afterAll(async () => {
    await database.close();
    await target.drop();
  });

  test("creates better-auth's tables and one auth secret, and starting again changes nothing", async () => {
    delete process.env.BETTER_AUTH_SECRET;
    await createServices(database);
    expect(await authTables(database)).toEqual(["account", "session", "user", "verification"]);
    const [secret] = await secrets(database);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{40,}$/);

    await createServices(database);
    expect(await secrets(database)).toEqual([secret]);
  });

  test("better-auth gets a base URL at start (derived from HOST and PORT, or BETTER_AUTH_URL) and warns nothing", async () => {
    const printed: string[] = [];
    const capture = (...args: unknown[]) => void printed.push(args.map(String).join(" "));
    const spies = [
      vi.spyOn(console, "warn").mockImplementation(capture),
      vi.spyOn(console, "log").mockImplementation(capture),
      vi.spyOn(console, "error").mockImplementation(capture),
    ];
    const saved = { PORT: process.env.PORT, HOST: process.env.HOST, BETTER_AUTH_URL: process.env.BETTER_AUTH_URL };
    try {
      Object.assign(process.env, { PORT: "4123", HOST: "0.0.0.0" });
      delete process.env.BETTER_AUTH_URL;
      const derived = await createServices(database);
      expect((await derived.auth.$context).baseURL).toBe("http://localhost:4123/api/auth");
      process.env.BETTER_AUTH_URL = "https://vizflow.example.com";
      const pinned = await createServices(database);
      const context = await pinned.auth.$context;
      expect(context.baseURL).toBe("https://vizflow.example.com/api/auth");
      expect(context.authCookies.sessionToken.name).toMatch(/^__Secure-/);
    } finally {
      spies.forEach((spy) => spy.mockRestore());
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
    expect(printed.filter((line) => /base ?url/i.test(line))).toEqual([]);
    expect(printed.filter((line) => line.includes("Better Auth"))).toEqual([]);
  });

  test.skipIf(!process.env.DATABASE_URL)(
    "two app servers starting at once on one PostgreSQL both come up and share the secret",
    async () => {
      const fresh = await createTestDatabaseUrl();
      const start = async () => {
        const db = await createDatabase({ url: fresh.url });
        await createServices(db);
        return db;
      };
      try {
        const [a, b] = await Promise.all([start(), start()]);
        try {
          expect(await authTables(a)).toEqual(["account", "session", "user", "verification"]);
          expect(await secrets(b)).toHaveLength(1);
        } finally {
          await Promise.all([a.close(), b.close()]);
        }
      } finally {
        await fresh.drop();
      }
    },
  );
});
