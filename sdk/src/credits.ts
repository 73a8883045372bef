/** The worst-case credits of one record through a flow: what a request holds before it runs. */
import type { Reference } from "./action.js";
import type { FlowGraph, FlowNode } from "./graph.js";
import { childEdgesByHandle, indexGraph } from "./graph-index.js";
import { handleSpec, requireFacts } from "./node-facts.js";
import type { ActionRegistry } from "./registry.js";

/** Worst-case credits per record of a nested flow (its pinned or deployed version). */
export type NestedWorstCase = (flow: { id: string; version: number | "deployed" }) => number;

/**
 * Credits one record can cost at most: every node that could run, an `objects` handle's subtree times the
 * action's `maxObjects(config)` (Infinity when the action declares no bound), the most expensive of
 * exclusive handles and the sum of the others. A service reference adds the service's credits, a flow
 * reference `nestedWorstCase` of that flow. The graph is expected to be valid.
 *
 * @throws when a node nests a flow and `nestedWorstCase` is not given, or a node's action is unknown.
 */
export function worstCaseCredits(
  graph: FlowGraph,
  registry: ActionRegistry,
  nestedWorstCase?: NestedWorstCase,
): number {
  const index = indexGraph(graph);
  if (!index.root) return 0;
  const order: FlowNode[] = [index.root];
  for (let i = 0; i < order.length; i++) {
    for (const edge of index.childEdges.get((order[i] as FlowNode).id) ?? []) {
      const child = index.nodes.get(edge.target);
      if (child && index.parentEdge.get(child.id) === edge) order.push(child);
    }
  }
  const cost = new Map<string, number>();
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as FlowNode;
    const facts = requireFacts(registry, node);
    let own = registry.creditsOf(facts.action, node.config);
    for (const ref of facts.action.definition.references?.(node.config) ?? []) {
      own += referencedCredits(registry, node, ref, nestedWorstCase);
    }
    const perHandle: number[] = [];
    for (const [handle, edges] of childEdgesByHandle(index, node.id)) {
      let sum = 0;
      for (const edge of edges) sum += cost.get(edge.target) ?? 0;
      if (handleSpec(facts, handle)?.fanOut === "objects") {
        const { maxObjects } = facts.action.definition;
        sum = sum === 0 ? 0 : maxObjects ? sum * maxObjects(node.config) : Number.POSITIVE_INFINITY;
      }
      perHandle.push(sum);
    }
    const children = facts.exclusive ? Math.max(0, ...perHandle) : perHandle.reduce((a, b) => a + b, 0);
    cost.set(node.id, own + children);
  }
  return cost.get(index.root.id) ?? 0;
}

function referencedCredits(
  registry: ActionRegistry,
  node: FlowNode,
  ref: Reference,
  nestedWorstCase: NestedWorstCase | undefined,
): number {
  if (ref.kind === "service") {
    const service = registry.get(ref.action);
    return service ? registry.creditsOf(service, ref.config ?? {}) : 0;
  }
  if (ref.kind === "flow") {
    if (!nestedWorstCase) {
      throw new Error(`node "${node.id}" runs flow "${ref.id}": pass nestedWorstCase to count its credits`);
    }
    return nestedWorstCase({ id: ref.id, version: ref.version ?? "deployed" });
  }
  return 0;
}
