import type { Kysely } from "kysely";
import { Migrator, type MigrationResult } from "kysely/migration";
import { migrations } from "./migrations/index.js";
import type { DB } from "./schema.js";

export interface MigrationReport {
  /** Names of the migrations this run applied, in order (empty when the schema was already current). */
  readonly applied: readonly string[];
}

/**
 * Applies every pending migration. Callers hold the "migrations" lock (see `Database.withLock`): Kysely
 * locks the migration itself, but not the creation of its own bookkeeping tables.
 */
export async function migrateToLatest(db: Kysely<DB>): Promise<MigrationReport> {
  const migrator = new Migrator({ db, provider: { getMigrations: () => Promise.resolve({ ...migrations }) } });
  const { error, results = [] } = await migrator.migrateToLatest();
  if (error !== undefined) {
    const failed = results.find((r: MigrationResult) => r.status === "Error");
    const reason = error instanceof Error ? error.message : JSON.stringify(error);
    throw new Error(`database migration ${failed ? `"${failed.migrationName}" ` : ""}failed: ${reason}`, {
      cause: error,
    });
  }
  return { applied: results.filter((r) => r.status === "Success").map((r) => r.migrationName) };
}
