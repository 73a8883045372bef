/** The editor's graph operations on FlowGraph: pure, so they are tested without a browser. */
import type { FlowEdge, FlowGraph, FlowNode, HandleSpec } from "@vizflow/sdk";

/** A short random id; node ids only need to be unique within a flow. */
export function newId(prefix: string): string {
  return `${prefix}-${Math.random().toString(36).slice(2, 8)}`;
}

/**
 * How many `objects` fan-outs lie above each node: 0 runs on the record, 1 on each object, 2 on each
 * object of each object. The canvas draws deeper scopes as stacked cards.
 */
export function objectDepths(graph: FlowGraph, handlesOf: (nodeId: string) => readonly HandleSpec[] | undefined) {
  const parentEdge = new Map<string, FlowEdge>();
  for (const edge of graph.edges) if (!parentEdge.has(edge.target)) parentEdge.set(edge.target, edge);
  const depths = new Map<string, number>();
  const depthOf = (id: string, seen: Set<string>): number => {
    const known = depths.get(id);
    if (known !== undefined) return known;
    const edge = parentEdge.get(id);
    if (!edge || seen.has(id)) return 0;
    seen.add(id);
    const fanOut = isObjectsHandle(edge.sourceHandle, handlesOf(edge.source)) ? 1 : 0;
    const depth = depthOf(edge.source, seen) + fanOut;
    depths.set(id, depth);
    return depth;
  };
  for (const node of graph.nodes) depthOf(node.id, new Set());
  return depths;
}

export function isObjectsHandle(handle: string, handles: readonly HandleSpec[] | undefined): boolean {
  const spec = handles?.find((h) => h.id === handle);
  return spec ? spec.fanOut === "objects" : handle === "objects";
}

/** Position (1-based) of each edge among its siblings, for edges under a sequential parent. */
export function sequencePositions(graph: FlowGraph, sequential: (nodeId: string) => boolean): Map<string, number> {
  const positions = new Map<string, number>();
  const groups = new Map<string, FlowEdge[]>();
  for (const edge of graph.edges) {
    if (!sequential(edge.source)) continue;
    const key = `${edge.source}\u0000${edge.sourceHandle}`;
    const list = groups.get(key);
    if (list) list.push(edge);
    else groups.set(key, [edge]);
  }
  for (const list of groups.values()) {
    const sorted = [...list].sort(
      (a, b) => (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY),
    );
    sorted.forEach((edge, i) => positions.set(edge.id, i + 1));
  }
  return positions;
}

/** Moves a child edge one place earlier or later among its siblings, renumbering them 0..n-1. */
export function moveInSequence(graph: FlowGraph, edgeId: string, delta: -1 | 1): FlowGraph {
  const edge = graph.edges.find((e) => e.id === edgeId);
  if (!edge) return graph;
  const siblings = graph.edges
    .filter((e) => e.source === edge.source && e.sourceHandle === edge.sourceHandle)
    .sort((a, b) => (a.order ?? Number.POSITIVE_INFINITY) - (b.order ?? Number.POSITIVE_INFINITY));
  const from = siblings.findIndex((e) => e.id === edgeId);
  const to = from + delta;
  if (to < 0 || to >= siblings.length) return graph;
  const reordered = [...siblings];
  reordered.splice(from, 1);
  reordered.splice(to, 0, edge);
  const order = new Map(reordered.map((e, i) => [e.id, i]));
  return {
    ...graph,
    edges: graph.edges.map((e) => (order.has(e.id) ? { ...e, order: order.get(e.id) } : e)),
  };
}

/** What copy puts on the clipboard: the selected nodes and the edges between them. */
export interface Fragment {
  kind: "vizflow/fragment";
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export function copyFragment(
  graph: FlowGraph,
  nodeIds: ReadonlySet<string>,
  isRoot: (node: FlowNode) => boolean,
): Fragment {
  const nodes = graph.nodes.filter((n) => nodeIds.has(n.id) && !isRoot(n));
  const kept = new Set(nodes.map((n) => n.id));
  const edges = graph.edges.filter((e) => kept.has(e.source) && kept.has(e.target));
  return { kind: "vizflow/fragment", nodes, edges };
}

/** Adds a copy of a fragment with fresh ids, shifted by `offset`; returns the graph and the new node ids. */
export function pasteFragment(
  graph: FlowGraph,
  fragment: Fragment,
  offset: { x: number; y: number },
): { graph: FlowGraph; nodeIds: string[] } {
  const ids = new Map(fragment.nodes.map((n) => [n.id, newId(n.action.split("/")[1]?.split("@")[0] ?? "node")]));
  const nodes = fragment.nodes.map((n) => ({
    ...structuredClone(n),
    id: ids.get(n.id) as string,
    position: { x: n.position.x + offset.x, y: n.position.y + offset.y },
  }));
  const edges = fragment.edges.map((e) => ({
    ...e,
    id: newId("edge"),
    source: ids.get(e.source) as string,
    target: ids.get(e.target) as string,
  }));
  return {
    graph: { ...graph, nodes: [...graph.nodes, ...nodes], edges: [...graph.edges, ...edges] },
    nodeIds: [...ids.values()],
  };
}

/** Removes nodes and every edge touching them (the input node stays). */
export function removeNodes(
  graph: FlowGraph,
  nodeIds: ReadonlySet<string>,
  isRoot: (node: FlowNode) => boolean,
): FlowGraph {
  const removed = new Set(graph.nodes.filter((n) => nodeIds.has(n.id) && !isRoot(n)).map((n) => n.id));
  return {
    ...graph,
    nodes: graph.nodes.filter((n) => !removed.has(n.id)),
    edges: graph.edges.filter((e) => !removed.has(e.source) && !removed.has(e.target)),
  };
}

/** Reads a fragment from clipboard text; undefined when the text is something else. */
export function parseFragment(text: string): Fragment | undefined {
  try {
    const value = JSON.parse(text) as Partial<Fragment>;
    if (value.kind !== "vizflow/fragment" || !Array.isArray(value.nodes) || !Array.isArray(value.edges))
      return undefined;
    return value as Fragment;
  } catch {
    return undefined;
  }
}
