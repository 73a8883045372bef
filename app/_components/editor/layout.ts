/** Auto-layout of a flow tree, top to bottom, with dagre (small and fast for trees). */
import { Graph, layout } from "@dagrejs/dagre";
import type { FlowEdge, FlowGraph } from "@vizflow/sdk";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 84;

export interface LayoutOptions {
  /** A node's size as drawn (React Flow measures it); nodes without one get NODE_WIDTH x NODE_HEIGHT. */
  sizeOf?: (nodeId: string) => { width?: number; height?: number } | undefined;
  /** A node's output handles, left to right as drawn; its children are placed in that order. */
  handlesOf?: (nodeId: string) => readonly string[] | undefined;
}

/**
 * New positions for every node. Each node's children sit under it left to right in the order of the
 * handles they hang from (so branch edges do not cross), then in their edge order; every rank is as
 * tall as its tallest node, so a node grown by its test outcome does not cover the one below.
 */
export function layoutGraph(graph: FlowGraph, options: LayoutOptions = {}): FlowGraph {
  const size = (id: string) => {
    const measured = options.sizeOf?.(id);
    return { width: measured?.width || NODE_WIDTH, height: measured?.height || NODE_HEIGHT };
  };
  const g = new Graph();
  g.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  // dagre's first ordering is a depth-first walk in insertion order, so nodes and edges go in already in
  // handle order. A flow is a tree, and that order has no crossings; dagre's crossing reduction would
  // only shuffle siblings among equally good orders, so it is turned off.
  const children = new Map<string, FlowEdge[]>();
  for (const edge of graph.edges) children.set(edge.source, [...(children.get(edge.source) ?? []), edge]);
  const handleIndex = (edge: FlowEdge) => {
    const index = options.handlesOf?.(edge.source)?.indexOf(edge.sourceHandle) ?? -1;
    return index < 0 ? Number.MAX_SAFE_INTEGER : index;
  };
  for (const list of children.values())
    list.sort((a, b) => handleIndex(a) - handleIndex(b) || (a.order ?? 0) - (b.order ?? 0));
  const targets = new Set(graph.edges.map((e) => e.target));
  const visited = new Set<string>();
  const visit = (id: string) => {
    if (visited.has(id)) return;
    visited.add(id);
    g.setNode(id, size(id));
    for (const edge of children.get(id) ?? []) {
      visit(edge.target);
      g.setEdge(edge.source, edge.target);
    }
  };
  for (const node of graph.nodes) if (!targets.has(node.id)) visit(node.id);
  // Whatever a cycle left unvisited still gets a place.
  for (const node of graph.nodes) visit(node.id);
  layout(g, { disableOptimalOrderHeuristic: true });
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id) as { x: number; y: number; width: number; height: number };
      return {
        ...node,
        position: { x: Math.round(placed.x - placed.width / 2), y: Math.round(placed.y - placed.height / 2) },
      };
    }),
  };
}
