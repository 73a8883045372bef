/** Whether a new edge may be drawn, and why not: the tree rules of DESIGN.md "Flow graph", checked while dragging. */
import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";

export interface ProposedEdge {
  source: string;
  sourceHandle: string;
  target: string;
}

export type ConnectionVerdict = { ok: true } | { ok: false; reason: string };

/**
 * Checks a proposed edge against the graph: both ends exist, the handle is one of the source's, the input
 * node takes no parent, every other node has exactly one parent, and no cycle appears.
 * `handlesOf` gives a node's output handle ids (computed from its config).
 */
export function checkConnection(
  graph: FlowGraph,
  edge: ProposedEdge,
  handlesOf: (nodeId: string) => readonly string[] | undefined,
  nameOf: (nodeId: string) => string = (id) => id,
): ConnectionVerdict {
  const source = graph.nodes.find((n) => n.id === edge.source);
  const target = graph.nodes.find((n) => n.id === edge.target);
  if (!source || !target) return { ok: false, reason: "Connect two nodes of this flow." };
  if (source.id === target.id) return { ok: false, reason: "A node cannot feed itself." };
  const handles = handlesOf(source.id);
  if (handles !== undefined && !handles.includes(edge.sourceHandle)) {
    return { ok: false, reason: `${nameOf(source.id)} has no output “${edge.sourceHandle}”.` };
  }
  if (target.action === INPUT_ACTION) {
    return { ok: false, reason: "The input is where the flow starts; nothing can lead into it." };
  }
  const parent = graph.edges.find((e) => e.target === target.id);
  if (parent) {
    return {
      ok: false,
      reason: `${nameOf(target.id)} already runs after ${nameOf(parent.source)}; a node has one parent. Delete that connection first.`,
    };
  }
  if (isAncestor(graph, target.id, source.id)) {
    return { ok: false, reason: `${nameOf(target.id)} runs before ${nameOf(source.id)}; this would make a loop.` };
  }
  return { ok: true };
}

/** True when `ancestor` is on the path from the root to `nodeId` (following parent edges). */
export function isAncestor(graph: FlowGraph, ancestor: string, nodeId: string): boolean {
  const parentOf = new Map<string, string>();
  for (const edge of graph.edges) if (!parentOf.has(edge.target)) parentOf.set(edge.target, edge.source);
  const seen = new Set<string>();
  let current: string | undefined = nodeId;
  while (current !== undefined && !seen.has(current)) {
    if (current === ancestor) return true;
    seen.add(current);
    current = parentOf.get(current);
  }
  return false;
}

/** The `order` a new child edge gets under a handle: after its current siblings. */
export function nextSiblingOrder(graph: FlowGraph, source: string, sourceHandle: string): number {
  let max = -1;
  for (const edge of graph.edges) {
    if (edge.source === source && edge.sourceHandle === sourceHandle) max = Math.max(max, edge.order ?? -1);
  }
  return max + 1;
}
