/** Which nodes' handles changed between two renders of the canvas, so React Flow can measure them again. */
import type { HandleSpec } from "@vizflow/sdk";

/** One string per node naming its handles in order. */
export function handleKeys(
  nodeIds: readonly string[],
  handlesOf: (nodeId: string) => readonly HandleSpec[] | undefined,
): Map<string, string> {
  return new Map(nodeIds.map((id) => [id, (handlesOf(id) ?? []).map((h) => h.id).join("\n")]));
}

/**
 * Nodes drawn before whose handles are not the same now. React Flow measures a node's handles when it
 * mounts; a handle added later (a Branch Selector's new label) cannot be connected to until it is told.
 */
export function nodesWithNewHandles(before: ReadonlyMap<string, string>, now: ReadonlyMap<string, string>): string[] {
  return [...now].filter(([id, key]) => before.has(id) && before.get(id) !== key).map(([id]) => id);
}
