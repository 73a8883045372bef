import { randomBytes } from "node:crypto";
import pg from "pg";
import { createDatabase, type CreateDatabaseOptions, type Database } from "./database.js";

/**
 * A database of its own for one test file: a fresh PostgreSQL database `vizflow_test_<random>` when
 * `DATABASE_URL` is set (dropped again on `drop()`), else an in-memory PGlite. Runs never see each
 * other's data.
 */
export interface TestDatabaseUrl {
  /** `postgres://…/vizflow_test_<random>` or `memory://`. */
  readonly url: string;
  drop(): Promise<void>;
}

export async function createTestDatabaseUrl(env: NodeJS.ProcessEnv = process.env): Promise<TestDatabaseUrl> {
  const serverUrl = env.DATABASE_URL;
  if (!serverUrl) return { url: "memory://", drop: () => Promise.resolve() };
  const name = `vizflow_test_${randomBytes(6).toString("hex")}`;
  await withClient(serverUrl, (client) => client.query(`create database ${name}`));
  const url = new URL(serverUrl);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      await withClient(serverUrl, async (client) => {
        // pg's pool.end() resolves before its sockets have closed; terminating them (with force) then
        // raises an unhandled 57P01 in the closing client, so wait for them to go first.
        for (let i = 0; i < 50; i++) {
          const open = await client.query<{ n: number }>(
            "select count(*)::int as n from pg_stat_activity where datname = $1",
            [name],
          );
          if ((open.rows[0]?.n ?? 0) === 0) break;
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        await client.query(`drop database if exists ${name} with (force)`);
      });
    },
  };
}

/** Opens (and migrates) a test database; `close()` also drops it on PostgreSQL. */
export async function createTestDatabase(
  options: Omit<CreateDatabaseOptions, "url" | "dataDir"> = {},
): Promise<Database> {
  const target = await createTestDatabaseUrl();
  let database: Database;
  try {
    database = await createDatabase({ ...options, url: target.url });
  } catch (error) {
    await target.drop();
    throw error;
  }
  return {
    db: database.db,
    dialect: database.dialect,
    withLock: (name, fn) => database.withLock(name, fn),
    executeSql: (text, values) => database.executeSql(text, values),
    async close() {
      await database.close();
      await target.drop();
    },
  };
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    return await fn(client);
  } finally {
    await client.end();
  }
}

export { startS3TestServer, type S3TestServer } from "./blobs/s3-test-server.js";
