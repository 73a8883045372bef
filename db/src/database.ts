import type { Kysely } from "kysely";
import { databaseOptionsFromEnv, openConnection, type DatabaseOptions, type DialectName } from "./connection.js";
import { migrateToLatest } from "./migrate.js";
import type { DB } from "./schema.js";

/** An open, migrated database. */
export interface Database {
  readonly db: Kysely<DB>;
  readonly dialect: DialectName;
  /**
   * Runs `fn` while holding the lock `name`: a PostgreSQL advisory lock (so it spans processes and app
   * servers), or an in-process queue on PGlite. Use it for start-up steps that must not run twice at once.
   */
  withLock<T>(name: string, fn: () => Promise<T>): Promise<T>;
  /** Raw SQL for libraries with a schema of their own (the job queue); see `Connection.executeSql`. */
  executeSql(text: string, values?: readonly unknown[]): Promise<{ rows: unknown[] }>;
  close(): Promise<void>;
}

export interface CreateDatabaseOptions extends DatabaseOptions {
  /** Apply pending migrations before resolving (default true). */
  readonly migrate?: boolean;
}

/**
 * Opens a database of its own (tests, scripts). The app uses the shared `getDatabase()` instead.
 *
 * @example
 * const database = await createDatabase({ url: "memory://" });
 * const rows = await database.db.selectFrom("workspace").selectAll().execute();
 * await database.close();
 */
export async function createDatabase(options: CreateDatabaseOptions = {}): Promise<Database> {
  const connection = await openConnection(options);
  if (options.migrate !== false) {
    try {
      await connection.withLock("migrations", () => migrateToLatest(connection.db));
    } catch (error) {
      await connection.close();
      throw error;
    }
  }
  return connection;
}

const SHARED = Symbol.for("vizflow.db");
type SharedHolder = { [SHARED]?: Promise<Database> };

/**
 * The process-wide database, opened from the environment (`DATABASE_URL`, `VIZFLOW_DATA_DIR`) and
 * migrated on first use. Kept on `globalThis` so the custom server and the code Next bundles share one
 * instance: one PGlite per data directory is all a process may open.
 */
export function getDatabase(): Promise<Database> {
  const holder = globalThis as SharedHolder;
  holder[SHARED] ??= createDatabase(databaseOptionsFromEnv()).catch((error: unknown) => {
    delete holder[SHARED];
    throw error;
  });
  return holder[SHARED];
}

/** Closes the process-wide database (on shutdown); a later `getDatabase()` opens it again. */
export async function closeDatabase(): Promise<void> {
  const holder = globalThis as SharedHolder;
  const shared = holder[SHARED];
  delete holder[SHARED];
  if (shared) await (await shared).close();
}
