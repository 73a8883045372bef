/** Auto-layout of a flow tree, top to bottom, with dagre (small and fast for trees). */
import { Graph, layout } from "@dagrejs/dagre";
import type { FlowGraph } from "@vizflow/sdk";

export const NODE_WIDTH = 220;
export const NODE_HEIGHT = 84;

/** New positions for every node; siblings keep their edge order left to right. */
export function layoutGraph(graph: FlowGraph): FlowGraph {
  const g = new Graph();
  g.setGraph({ rankdir: "TB", nodesep: 40, ranksep: 70 });
  g.setDefaultEdgeLabel(() => ({}));
  for (const node of graph.nodes) g.setNode(node.id, { width: NODE_WIDTH, height: NODE_HEIGHT });
  const edges = [...graph.edges].sort((a, b) => (a.order ?? 0) - (b.order ?? 0));
  for (const edge of edges) g.setEdge(edge.source, edge.target);
  layout(g);
  return {
    ...graph,
    nodes: graph.nodes.map((node) => {
      const placed = g.node(node.id) as { x: number; y: number };
      return {
        ...node,
        position: { x: Math.round(placed.x - NODE_WIDTH / 2), y: Math.round(placed.y - NODE_HEIGHT / 2) },
      };
    }),
  };
}
