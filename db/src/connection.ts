import { mkdirSync } from "node:fs";
import path from "node:path";
import { PGlite } from "@electric-sql/pglite";
import { Kysely, PGliteDialect, PostgresDialect, sql } from "kysely";
import pg from "pg";
import type { DB } from "./schema.js";

/** Where the data lives: PostgreSQL when `url` is a postgres URL, else PGlite (`memory://` or under `dataDir`). */
export interface DatabaseOptions {
  /** `postgres://…` for PostgreSQL, `memory://` for a throw-away PGlite; unset: PGlite under `dataDir`. */
  readonly url?: string | undefined;
  /** Data directory of the embedded mode; PGlite keeps its files in `<dataDir>/pglite`. Default `./.data`. */
  readonly dataDir?: string | undefined;
}

export type DialectName = "postgres" | "pglite";

export interface Connection {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /** Runs `fn` while holding a lock named `name` across every process using this database. */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /**
   * Raw SQL for libraries that bring their own schema (the job queue): with `values`, one parameterised
   * statement; without, any number of statements.
   */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

const INT8_OID = 20;

// int8 (bigint, count(*)) comes back as a string from pg and as a number from PGlite; read it as a
// number on both so callers see one type. Values we store in int8 (credits, bytes) stay far below 2^53.
const parseInt8 = (value: string): number => Number(value);

export function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//i.test(url);
}

/** Reads the connection options from the environment: `DATABASE_URL`, `VIZFLOW_DATA_DIR`. */
export function databaseOptionsFromEnv(env: NodeJS.ProcessEnv = process.env): DatabaseOptions {
  return { url: env.DATABASE_URL || undefined, dataDir: env.VIZFLOW_DATA_DIR || undefined };
}

export async function openConnection(options: DatabaseOptions): Promise<Connection> {
  const url = options.url;
  if (url !== undefined && isPostgresUrl(url)) return openPostgres(url);
  if (url !== undefined && url !== "memory://") {
    throw new Error(`DATABASE_URL must start with postgres:// or postgresql:// (or be memory://), got "${url}"`);
  }
  return openPGlite(url ?? pgliteDirectory(options.dataDir ?? "./.data"));
}

function pgliteDirectory(dataDir: string): string {
  const dir = path.resolve(dataDir, "pglite");
  mkdirSync(dir, { recursive: true });
  return dir;
}

function pgTypeParser(oid: number, format?: "text" | "binary"): (value: string) => unknown {
  if (oid === INT8_OID) return parseInt8;
  return pg.types.getTypeParser(oid, format) as (value: string) => unknown;
}

function openPostgres(url: string): Connection {
  const pool = new pg.Pool({
    connectionString: url,
    types: { getTypeParser: pgTypeParser as typeof pg.types.getTypeParser },
  });
  // A connection that PostgreSQL ends (a restart, a terminated backend) is an 'error' event: of the pool
  // while it is idle, of its client while it is checked out. Unhandled, either would end the process; the
  // query running on it fails on its own, and the pool opens a new connection on demand.
  const closed = (error: Error) =>
    console.error(
      JSON.stringify({ level: "warn", msg: "a database connection was closed; it is replaced", error: error.message }),
    );
  pool.on("error", closed);
  pool.on("connect", (client) => client.on("error", closed));
  const db = new Kysely<DB>({ dialect: new PostgresDialect({ pool }) });
  return {
    db,
    dialect: "postgres",
    async withLock(name, fn) {
      // A session-level advisory lock held on one dedicated connection while `fn` uses the pool.
      return db.connection().execute(async (conn) => {
        await sql`select pg_advisory_lock(hashtextextended(${`vizflow:${name}`}, 0))`.execute(conn);
        try {
          return await fn();
        } finally {
          await sql`select pg_advisory_unlock(hashtextextended(${`vizflow:${name}`}, 0))`.execute(conn);
        }
      });
    },
    async executeSql(text, values) {
      const result = await pool.query(text, values === undefined ? undefined : [...values]);
      // A multi-statement text answers with one result per statement; the last one is the answer.
      const last = Array.isArray(result) ? (result as pg.QueryResult[]).at(-1) : result;
      return { rows: (last?.rows ?? []) as unknown[] };
    },
    close: () => db.destroy(),
  };
}

async function openPGlite(dataDir: string): Promise<Connection> {
  const pglite = await PGlite.create(dataDir, { parsers: { [INT8_OID]: parseInt8 } });
  const db = new Kysely<DB>({ dialect: new PGliteDialect({ pglite }) });
  // One process owns a PGlite database, so an in-process queue per lock name is a real lock.
  const queues = new Map<string, Promise<unknown>>();
  return {
    db,
    dialect: "pglite",
    withLock<T>(name: string, fn: () => Promise<T>): Promise<T> {
      const previous = queues.get(name) ?? Promise.resolve();
      const run = previous.then(fn, fn);
      const tail = run.catch(() => undefined);
      queues.set(name, tail);
      void tail.then(() => {
        if (queues.get(name) === tail) queues.delete(name);
      });
      return run;
    },
    async executeSql(text, values) {
      if (values !== undefined && values.length > 0) return { rows: (await pglite.query(text, [...values])).rows };
      return { rows: (await pglite.exec(text)).at(-1)?.rows ?? [] };
    },
    async close() {
      await db.destroy();
      if (!pglite.closed) await pglite.close();
    },
  };
}
