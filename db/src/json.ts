import { sql, type RawBuilder } from "kysely";

/**
 * A value to write into a jsonb column. pg sends JS arrays as PostgreSQL arrays and PGlite serializes
 * by parameter type, so the value goes over the wire as JSON text and is cast on the server: the same
 * result on both drivers. Reading jsonb gives parsed values on both.
 *
 * @example
 * await db.updateTable("flow_version").set({ graph: jsonb(graph) }).where("id", "=", id).execute();
 */
export function jsonb<T>(value: T): RawBuilder<T> {
  return sql<T>`cast(cast(${JSON.stringify(value)} as text) as jsonb)`;
}
