/**
 * The loader's view of the SDK's plugin checks (`pluginProblems` lives in the SDK, so plugin authors run the
 * same checks in their tests as the engine does at start).
 */
import type { PluginDefinition } from "@vizflow/sdk";

export { pluginProblems } from "@vizflow/sdk";

/** Narrows a checked value; call only when `pluginProblems(value)` is empty. */
export function asPluginDefinition(value: unknown): PluginDefinition {
  return value as PluginDefinition;
}
