/** FlowGraph <-> React Flow's nodes and edges; reuses unchanged node objects so React Flow skips their render. */
import type { Edge } from "@xyflow/react";
import type { FlowEdge, FlowGraph } from "@vizflow/sdk";
import type { CanvasNode } from "./flow-node";

export type CanvasEdge = Edge<{ order?: number | undefined }>;

export function toCanvasNodes(
  graph: FlowGraph,
  previous: readonly CanvasNode[] = [],
  selected?: ReadonlySet<string>,
): CanvasNode[] {
  const byId = new Map(previous.map((n) => [n.id, n]));
  return graph.nodes.map((node) => {
    const prev = byId.get(node.id);
    const isSelected = selected ? selected.has(node.id) : (prev?.selected ?? false);
    if (
      prev &&
      prev.data.node.config === node.config &&
      prev.data.node.label === node.label &&
      prev.data.node.action === node.action &&
      prev.position.x === node.position.x &&
      prev.position.y === node.position.y &&
      (prev.selected ?? false) === isSelected
    ) {
      return prev;
    }
    return {
      id: node.id,
      type: "action",
      position: node.position,
      data: { node },
      selected: isSelected,
      ...(prev?.measured ? { measured: prev.measured } : {}),
    };
  });
}

export function toCanvasEdges(graph: FlowGraph, previous: readonly CanvasEdge[] = []): CanvasEdge[] {
  const selected = new Set(previous.filter((e) => e.selected).map((e) => e.id));
  return graph.edges.map((edge) => ({
    id: edge.id,
    source: edge.source,
    sourceHandle: edge.sourceHandle,
    target: edge.target,
    data: { order: edge.order },
    selected: selected.has(edge.id),
  }));
}

/** The graph the canvas shows: positions from React Flow, everything else from the nodes' data. */
export function fromCanvas(nodes: readonly CanvasNode[], edges: readonly CanvasEdge[]): FlowGraph {
  return {
    schema: 1,
    nodes: nodes.map(({ data, position }) =>
      data.node.position.x === position.x && data.node.position.y === position.y
        ? data.node
        : { ...data.node, position },
    ),
    edges: edges.map((e): FlowEdge => {
      const edge: FlowEdge = { id: e.id, source: e.source, sourceHandle: e.sourceHandle ?? "next", target: e.target };
      if (e.data?.order !== undefined) edge.order = e.data.order;
      return edge;
    }),
  };
}
