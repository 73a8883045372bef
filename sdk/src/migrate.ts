/** Config migrations between an action's majors, applied by the editor when it upgrades a node. */
import type { ActionDefinition } from "./action.js";

export type MigratableAction = Pick<ActionDefinition, "id" | "version" | "title" | "migrations">;

export type ConfigMigrationResult = { ok: true; config: Record<string, unknown> } | { ok: false; message: string };

/**
 * Migrates a config written for major `fromMajor` of an action to the action's current major, one step at a
 * time. The result is not checked against the schema: validate the node afterwards.
 *
 * @example
 * const result = migrateConfig(recognition, 1, node.config); // recognition is at @2
 * if (result.ok) node = { ...node, action: "core/recognition@2", config: result.config };
 */
export function migrateConfig(
  action: MigratableAction,
  fromMajor: number,
  config: Record<string, unknown>,
): ConfigMigrationResult {
  if (!Number.isInteger(fromMajor) || fromMajor < 1 || fromMajor > action.version) {
    return {
      ok: false,
      message: `Cannot migrate ${action.title} (${action.id}) from version ${fromMajor}: it is at version ${action.version}.`,
    };
  }
  let current = structuredClone(config);
  for (let major = fromMajor; major < action.version; major++) {
    const step = action.migrations?.find((migration) => migration.from === major);
    if (!step) {
      return {
        ok: false,
        message: `${action.title} (${action.id}) has no migration from version ${major} to ${major + 1}; the node must be configured again.`,
      };
    }
    try {
      // Each step gets its own copy, so a migration that mutates its input cannot corrupt the caller's config.
      current = step.migrate(structuredClone(current));
    } catch (error) {
      return {
        ok: false,
        message: `Migrating ${action.title} (${action.id}) from version ${major} to ${major + 1} failed: ${error instanceof Error ? error.message : String(error)}`,
      };
    }
  }
  return { ok: true, config: current };
}
