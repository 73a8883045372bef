import type { FlowGraph } from "@vizflow/sdk";
import { diffGraphs } from "./graph-diff";

/** How the draft stands against the version it started from, in the header's words. */
export function draftVersionStatus(
  draft: FlowGraph,
  version: number | undefined,
  saved: FlowGraph | undefined,
): string {
  if (version === undefined) return "Not saved as a version yet";
  if (saved === undefined) return `From version ${version}`;
  if (!diffGraphs(saved, draft).same) return `Unsaved changes since version ${version}`;
  const moved = draft.nodes.some((node) => {
    const before = saved.nodes.find((n) => n.id === node.id);
    return before !== undefined && (before.position.x !== node.position.x || before.position.y !== node.position.y);
  });
  return moved ? `Matches version ${version}, nodes moved` : `Matches version ${version}`;
}
