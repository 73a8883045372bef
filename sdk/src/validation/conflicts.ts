/**
 * output_conflict: two siblings that may run at the same time write the same field into the same scope.
 * A sibling stands for its whole subtree as far as that subtree writes into the same scope (a chain runs
 * after its top, while the other sibling may still be running).
 */
import type { FlowEdge, FlowNode } from "../graph.js";
import { childEdgesByHandle } from "../graph-index.js";
import { handleSpec, writtenFields } from "../node-facts.js";
import { sentence } from "./messages.js";
import { withPath, type ValidationState } from "./state.js";

/** Field name -> the node (nearest the subtree's top) that writes it. */
type Writes = Map<string, string>;

export function checkOutputConflicts(state: ValidationState): void {
  const { order, scopeOf } = treeOrder(state);
  const writes = new Map<string, Writes>();
  // Bottom-up, so each node's children are done before it.
  for (let i = order.length - 1; i >= 0; i--) {
    const node = order[i] as FlowNode;
    const facts = state.facts.get(node.id);
    const own: Writes = new Map();
    for (const field of facts ? writtenFields(facts.writes) : []) own.set(field, node.id);
    for (const edge of treeChildEdges(state, node.id)) {
      if (facts && handleSpec(facts, edge.sourceHandle)?.fanOut === "objects") continue;
      for (const [field, writer] of writes.get(edge.target) ?? []) if (!own.has(field)) own.set(field, writer);
    }
    writes.set(node.id, own);
  }

  for (const parent of order) {
    const facts = state.facts.get(parent.id);
    // Without valid config we cannot tell which children run together; invalid_config is reported already.
    if (!facts) continue;
    const siblings = [...childEdgesByHandle(state.index, parent.id)]
      .flatMap(([, edges]) => edges)
      .filter((edge) => state.index.parentEdge.get(edge.target) === edge && handleSpec(facts, edge.sourceHandle));
    for (let i = 0; i < siblings.length; i++) {
      for (let j = i + 1; j < siblings.length; j++) {
        const a = siblings[i] as FlowEdge;
        const b = siblings[j] as FlowEdge;
        const aObjects = handleSpec(facts, a.sourceHandle)?.fanOut === "objects";
        const bObjects = handleSpec(facts, b.sourceHandle)?.fanOut === "objects";
        const sameHandle = a.sourceHandle === b.sourceHandle;
        const together = sameHandle ? !facts.sequential : !facts.exclusive;
        // Children of two different handles write into one scope only when neither fans out to objects.
        const sameScope = sameHandle || (!aObjects && !bObjects);
        if (!together || !sameScope) continue;
        const where = aObjects
          ? `each object of ${state.name(parent)}`
          : scopeOf.get(parent.id) === "object"
            ? "the same object"
            : "the record";
        const aWrites = writes.get(a.target) ?? new Map<string, string>();
        for (const [field, bWriter] of writes.get(b.target) ?? []) {
          const aWriter = aWrites.get(field);
          if (aWriter === undefined) continue;
          state.report({
            code: "output_conflict",
            message: `${sentence(state.name(bWriter))} and ${state.name(aWriter)} both write "${field}" into ${where} and may run at the same time (they follow ${state.name(parent)} side by side); change the output name of one, or run them in sequence with a List.`,
            nodeId: bWriter,
            ...withPath(state.nodePath(bWriter)),
          });
        }
      }
    }
  }
}

/** Edges that are their target's (first) parent edge: the tree the engine runs. */
function treeChildEdges(state: ValidationState, nodeId: string): FlowEdge[] {
  return (state.index.childEdges.get(nodeId) ?? []).filter((edge) => state.index.parentEdge.get(edge.target) === edge);
}

/** Breadth-first order of the tree under the root, and whether each node runs on the record or an object. */
function treeOrder(state: ValidationState): { order: FlowNode[]; scopeOf: Map<string, "record" | "object"> } {
  const root = state.index.root;
  const scopeOf = new Map<string, "record" | "object">();
  if (!root) return { order: [], scopeOf };
  const order: FlowNode[] = [root];
  scopeOf.set(root.id, "record");
  for (let i = 0; i < order.length; i++) {
    const node = order[i] as FlowNode;
    const facts = state.facts.get(node.id);
    for (const edge of treeChildEdges(state, node.id)) {
      const child = state.index.nodes.get(edge.target);
      if (!child || scopeOf.has(child.id)) continue;
      const objects = facts !== undefined && handleSpec(facts, edge.sourceHandle)?.fanOut === "objects";
      scopeOf.set(child.id, objects ? "object" : (scopeOf.get(node.id) ?? "record"));
      order.push(child);
    }
  }
  return { order, scopeOf };
}
