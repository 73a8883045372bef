/** Tree indexing of a flow graph: parents, children by handle, ancestors. Works on broken graphs too. */
import { INPUT_ACTION, type FlowEdge, type FlowGraph, type FlowNode } from "./graph.js";

export interface GraphIndex {
  readonly graph: FlowGraph;
  /** Nodes by id (the first one, where ids repeat). */
  readonly nodes: ReadonlyMap<string, FlowNode>;
  /** The `core/input@1` node (the first, where there are several). */
  readonly root: FlowNode | undefined;
  /** The incoming edge of each node (the first, where a broken graph has several). */
  readonly parentEdge: ReadonlyMap<string, FlowEdge>;
  /** Outgoing edges of each node that has any, by `order` (edges without one last), then document order. */
  readonly childEdges: ReadonlyMap<string, readonly FlowEdge[]>;
}

/** Indexes a graph; edges whose source or target is not a node are left out. */
export function indexGraph(graph: FlowGraph): GraphIndex {
  const nodes = new Map<string, FlowNode>();
  for (const node of graph.nodes) if (!nodes.has(node.id)) nodes.set(node.id, node);
  const root = graph.nodes.find((node) => node.action === INPUT_ACTION);
  const parentEdge = new Map<string, FlowEdge>();
  const childEdges = new Map<string, FlowEdge[]>();
  for (const edge of graph.edges) {
    if (!nodes.has(edge.source) || !nodes.has(edge.target)) continue;
    if (!parentEdge.has(edge.target)) parentEdge.set(edge.target, edge);
    const list = childEdges.get(edge.source);
    if (list) list.push(edge);
    else childEdges.set(edge.source, [edge]);
  }
  for (const list of childEdges.values()) list.sort(bySiblingOrder);
  return { graph, nodes, root, parentEdge, childEdges };
}

// Array.prototype.sort is stable, so edges with equal (or no) order keep document order.
function bySiblingOrder(a: FlowEdge, b: FlowEdge): number {
  return (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY) || 0;
}

/** Children of a node in sibling order, all of them or those of one handle. */
export function childrenOf(index: GraphIndex, nodeId: string, handle?: string): FlowNode[] {
  const edges = index.childEdges.get(nodeId) ?? [];
  const children: FlowNode[] = [];
  for (const edge of edges) {
    if (handle !== undefined && edge.sourceHandle !== handle) continue;
    const child = index.nodes.get(edge.target);
    if (child) children.push(child);
  }
  return children;
}

/** Outgoing edges of a node grouped by handle, handles in the order their first edge appears. */
export function childEdgesByHandle(index: GraphIndex, nodeId: string): Map<string, FlowEdge[]> {
  const groups = new Map<string, FlowEdge[]>();
  for (const edge of index.childEdges.get(nodeId) ?? []) {
    const group = groups.get(edge.sourceHandle);
    if (group) group.push(edge);
    else groups.set(edge.sourceHandle, [edge]);
  }
  return groups;
}

/** Parent edges from the root down to `nodeId` (empty for the root); stops at a cycle. */
export function pathFromRoot(index: GraphIndex, nodeId: string): FlowEdge[] {
  const path: FlowEdge[] = [];
  const seen = new Set<string>([nodeId]);
  let edge = index.parentEdge.get(nodeId);
  while (edge && !seen.has(edge.source)) {
    path.push(edge);
    seen.add(edge.source);
    edge = index.parentEdge.get(edge.source);
  }
  return path.reverse();
}

/** Nodes reachable from the root along edges, the root included, in breadth-first order. */
export function reachableFromRoot(index: GraphIndex): FlowNode[] {
  if (!index.root) return [];
  const order: FlowNode[] = [index.root];
  const seen = new Set<string>([index.root.id]);
  for (let i = 0; i < order.length; i++) {
    for (const child of childrenOf(index, (order[i] as FlowNode).id)) {
      if (seen.has(child.id)) continue;
      seen.add(child.id);
      order.push(child);
    }
  }
  return order;
}
