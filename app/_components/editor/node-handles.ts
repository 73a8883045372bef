/** Which nodes' handles changed between two renders of the canvas, so React Flow can measure them again. */
import type { ActionManifest, FlowGraph, FlowNode, HandleSpec } from "@vizflow/sdk";

/**
 * Whether a node's handles are known for its settings as they are now: always for an action whose handles are
 * static, and for one that computes them from its config (a Branch Selector's labels) only once the server's
 * check has seen that very config. The check lags an edit, so until then its handles are the old config's.
 */
export function handlesSettled(
  node: Pick<FlowNode, "id" | "action" | "config">,
  manifest: Pick<ActionManifest, "handles"> | undefined,
  checkedGraph: FlowGraph | undefined,
): boolean {
  if (manifest?.handles !== undefined) return true;
  const checked = checkedGraph?.nodes.find((n) => n.id === node.id);
  return checked !== undefined && checked.action === node.action && sameJson(checked.config, node.config);
}

function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

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
