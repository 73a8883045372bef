/**
 * Whether a node's test outcome still describes the draft: it does while the node's action and settings
 * and everything upstream of it (its ancestors and the handles between them) are as they were when the
 * test ran. Names and positions do not change what a node does and are left out.
 */
import type { FlowGraph, FlowNode } from "@vizflow/sdk";
import type { NodeOutcome } from "./test-outcomes";

/** A fingerprint per node of what decides its outcome. */
export function outcomeFingerprints(graph: FlowGraph): Map<string, string> {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const parentEdge = new Map(graph.edges.map((e) => [e.target, e]));
  const prints = new Map<string, string>();
  const own = (node: FlowNode) => JSON.stringify([node.action, node.config]);
  const printOf = (node: FlowNode, seen: Set<string>): string => {
    const known = prints.get(node.id);
    if (known !== undefined) return known;
    const edge = parentEdge.get(node.id);
    const parent = edge === undefined ? undefined : nodes.get(edge.source);
    // A cycle is a problem the validator reports; here it only must not recurse forever.
    const above =
      parent === undefined || seen.has(parent.id)
        ? ""
        : `${printOf(parent, new Set([...seen, node.id]))}>${edge?.sourceHandle}#${edge?.order ?? 0}>`;
    const print = `${above}${own(node)}`;
    prints.set(node.id, print);
    return print;
  };
  for (const node of graph.nodes) printOf(node, new Set([node.id]));
  return prints;
}

/** The outcomes with `stale` set on those whose node (or anything upstream) changed since `tested`. */
export function markStale(
  outcomes: ReadonlyMap<string, NodeOutcome>,
  tested: ReadonlyMap<string, string>,
  current: ReadonlyMap<string, string>,
): Map<string, NodeOutcome> {
  const marked = new Map<string, NodeOutcome>();
  for (const [id, outcome] of outcomes) {
    const stale = tested.get(id) !== current.get(id);
    marked.set(id, stale === (outcome.stale ?? false) ? outcome : { ...outcome, stale });
  }
  return marked;
}
