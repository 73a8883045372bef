/** Checks of the graph's shape as a tree: ids, edge ends, parents, the root, cycles, orphans. */
import { INPUT_ACTION, type FlowEdge } from "../graph.js";
import { sentence } from "./messages.js";
import { withPath, type ValidationState } from "./state.js";

export function checkDuplicateIds(state: ValidationState): void {
  const nodeIds = new Set<string>();
  state.graph.nodes.forEach((node, i) => {
    if (nodeIds.has(node.id)) {
      state.report({
        code: "duplicate_id",
        message: `Two nodes have the id "${node.id}"; give each node its own id.`,
        nodeId: node.id,
        path: `/nodes/${i}/id`,
      });
    }
    nodeIds.add(node.id);
  });
  const edgeIds = new Set<string>();
  state.graph.edges.forEach((edge, i) => {
    if (edgeIds.has(edge.id)) {
      state.report({
        code: "duplicate_id",
        message: `Two edges have the id "${edge.id}"; give each edge its own id.`,
        edgeId: edge.id,
        path: `/edges/${i}/id`,
      });
    }
    edgeIds.add(edge.id);
  });
}

export function checkEdgeEnds(state: ValidationState): void {
  state.graph.edges.forEach((edge, i) => {
    for (const end of ["source", "target"] as const) {
      if (state.index.nodes.has(edge[end])) continue;
      state.report({
        code: "unknown_edge_node",
        message: `Edge "${edge.id}" ${end === "source" ? "starts at" : "ends at"} node "${edge[end]}", which is not in the flow; delete the edge or reconnect it.`,
        edgeId: edge.id,
        path: `/edges/${i}/${end}`,
      });
    }
  });
}

/** Every node but the root has exactly one parent; the root has none. */
export function checkParents(state: ValidationState): void {
  const incoming = new Map<string, FlowEdge[]>();
  for (const edge of state.graph.edges) {
    if (!state.index.nodes.has(edge.source) || !state.index.nodes.has(edge.target)) continue;
    const list = incoming.get(edge.target);
    if (list) list.push(edge);
    else incoming.set(edge.target, [edge]);
  }
  for (const [target, edges] of incoming) {
    const node = state.index.nodes.get(target);
    if (node?.action === INPUT_ACTION) {
      for (const edge of edges) {
        state.report({
          code: "root_has_parent",
          message: `${sentence(state.name(target))} is the flow's input and cannot have a parent; delete the edge from ${state.name(edge.source)}.`,
          nodeId: target,
          edgeId: edge.id,
          ...withPath(state.edgePath(edge.id)),
        });
      }
      continue;
    }
    const [first, ...extra] = edges;
    for (const edge of extra) {
      state.report({
        code: "second_parent",
        message: `${sentence(state.name(target))} already has a parent (${state.name(first?.source ?? "")}); a node runs after exactly one node, so delete the edge from ${state.name(edge.source)}.`,
        nodeId: target,
        edgeId: edge.id,
        ...withPath(state.edgePath(edge.id)),
      });
    }
  }
}

export function checkRoot(state: ValidationState): void {
  const roots = state.graph.nodes.filter((node) => node.action === INPUT_ACTION);
  if (roots.length === 0) {
    state.report({
      code: "missing_root",
      message: `The flow has no Input node (${INPUT_ACTION}); add one and connect the first actions to it.`,
      path: "/nodes",
    });
    return;
  }
  const [first, ...extra] = roots;
  for (const node of extra) {
    state.report({
      code: "duplicate_root",
      message: `${sentence(state.name(node))} is a second Input node; a flow has exactly one (${state.name(first?.id ?? "")}), so delete this one and connect its children to the first.`,
      nodeId: node.id,
      ...withPath(state.nodePath(node.id)),
    });
  }
}

/**
 * Reports each group of nodes that lie on cycles, once. Iterative (peeling nodes without parents, then
 * nodes without children) so a hostile graph with a very long chain cannot overflow the stack.
 * Returns the ids of the nodes on cycles.
 */
export function checkCycles(state: ValidationState): Set<string> {
  const nodeIds = [...state.index.nodes.keys()];
  const edges = state.graph.edges.filter((e) => state.index.nodes.has(e.source) && state.index.nodes.has(e.target));
  const remaining = new Set(nodeIds);
  peel(remaining, edges, "target");
  peel(remaining, edges, "source");
  if (remaining.size === 0) return remaining;

  // Group what is left into weakly connected parts: one problem per knot of cycles.
  const neighbours = new Map<string, string[]>();
  for (const edge of edges) {
    if (!remaining.has(edge.source) || !remaining.has(edge.target)) continue;
    pushTo(neighbours, edge.source, edge.target);
    pushTo(neighbours, edge.target, edge.source);
  }
  const seen = new Set<string>();
  for (const start of nodeIds) {
    if (!remaining.has(start) || seen.has(start)) continue;
    const group: string[] = [];
    const stack = [start];
    seen.add(start);
    while (stack.length > 0) {
      const id = stack.pop() as string;
      group.push(id);
      for (const next of neighbours.get(id) ?? []) {
        if (seen.has(next)) continue;
        seen.add(next);
        stack.push(next);
      }
    }
    const closing = edges.find((e) => e.source === start && remaining.has(e.target));
    state.report({
      code: "cycle",
      message:
        group.length === 1
          ? `${sentence(state.name(start))} is connected to itself; delete that edge.`
          : `Nodes ${listNames(state, group)} form a cycle; a flow is a tree, so delete one of the edges between them.`,
      nodeId: start,
      ...(closing ? { edgeId: closing.id } : {}),
      ...withPath(closing ? state.edgePath(closing.id) : state.nodePath(start)),
    });
  }
  return remaining;
}

/** Repeatedly removes nodes with no edge arriving at their `end` from another remaining node. */
function peel(remaining: Set<string>, edges: readonly FlowEdge[], end: "target" | "source"): void {
  const other = end === "target" ? "source" : "target";
  const degree = new Map<string, number>();
  for (const id of remaining) degree.set(id, 0);
  for (const edge of edges) {
    if (remaining.has(edge[end]) && remaining.has(edge[other])) degree.set(edge[end], (degree.get(edge[end]) ?? 0) + 1);
  }
  const queue = [...remaining].filter((id) => degree.get(id) === 0);
  const byOther = new Map<string, string[]>();
  for (const edge of edges) pushTo(byOther, edge[other], edge[end]);
  while (queue.length > 0) {
    const id = queue.pop() as string;
    if (!remaining.delete(id)) continue;
    for (const next of byOther.get(id) ?? []) {
      if (!remaining.has(next)) continue;
      const left = (degree.get(next) ?? 0) - 1;
      degree.set(next, left);
      if (left === 0) queue.push(next);
    }
  }
}

/** Nodes no Input node reaches; nodes on cycles are reported as cycles only. */
export function checkOrphans(state: ValidationState, onCycles: ReadonlySet<string>): void {
  const inputs = state.graph.nodes.filter((node) => node.action === INPUT_ACTION);
  if (inputs.length === 0) return; // missing_root says it all
  const reached = new Set(inputs.map((node) => node.id));
  const queue = [...reached];
  while (queue.length > 0) {
    const id = queue.pop() as string;
    for (const edge of state.index.childEdges.get(id) ?? []) {
      if (reached.has(edge.target)) continue;
      reached.add(edge.target);
      queue.push(edge.target);
    }
  }
  for (const node of state.index.nodes.values()) {
    if (reached.has(node.id) || onCycles.has(node.id)) continue;
    const top = topOf(state, node.id, onCycles);
    const why =
      top === node.id
        ? "it has no incoming edge"
        : top === undefined
          ? "it hangs below a cycle"
          : `it hangs below ${state.name(top)}, which has no incoming edge`;
    state.report({
      code: "orphan_node",
      message: `${sentence(state.name(node))} never runs: ${why}. Connect it to the flow or delete it.`,
      nodeId: node.id,
      ...withPath(state.nodePath(node.id)),
    });
  }
}

/** The topmost ancestor of an unreached node, or undefined when its ancestry leads into a cycle. */
function topOf(state: ValidationState, nodeId: string, onCycles: ReadonlySet<string>): string | undefined {
  let id = nodeId;
  const seen = new Set<string>();
  for (;;) {
    if (onCycles.has(id) || seen.has(id)) return undefined;
    seen.add(id);
    const parent = state.index.parentEdge.get(id);
    if (!parent) return id;
    id = parent.source;
  }
}

function pushTo(map: Map<string, string[]>, key: string, value: string): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}

const MAX_NAMES = 8;

function listNames(state: ValidationState, ids: readonly string[]): string {
  const names = ids.slice(0, MAX_NAMES).map((id) => state.name(id));
  return ids.length > MAX_NAMES ? `${names.join(", ")} and ${ids.length - MAX_NAMES} more` : names.join(", ");
}
