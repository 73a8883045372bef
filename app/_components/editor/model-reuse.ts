/**
 * Nodes that run a task's model again in the same scope. An Object Selector or Branch Selector runs its
 * own model: placed after a Detection or Recognition on the same task, that model runs twice on every
 * image (twice the time and the credits). The settings panel says so.
 */
import type { ActionManifest, FlowGraph, FlowNode } from "@vizflow/sdk";

function taskOf(node: FlowNode): string | undefined {
  const task = node.config.task;
  return typeof task === "string" && task !== "" ? task : undefined;
}

/**
 * The nearest ancestor of `nodeId` that runs the same task on the same scope, or undefined. The walk
 * stops at a handle that fans out over objects: above it, nodes ran on the whole image, not this crop.
 */
export function sameTaskUpstream(
  graph: FlowGraph,
  nodeId: string,
  manifests: ReadonlyMap<string, ActionManifest>,
): FlowNode | undefined {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const parentEdge = new Map(graph.edges.map((e) => [e.target, e]));
  const node = nodes.get(nodeId);
  const task = node ? taskOf(node) : undefined;
  if (task === undefined) return undefined;
  const seen = new Set([nodeId]);
  for (let edge = parentEdge.get(nodeId); edge !== undefined; edge = parentEdge.get(edge.source)) {
    const parent = nodes.get(edge.source);
    if (!parent || seen.has(parent.id)) return undefined;
    seen.add(parent.id);
    const handle = manifests.get(parent.action)?.handles?.find((h) => h.id === edge?.sourceHandle);
    if (handle?.fanOut === "objects" || (handle === undefined && edge.sourceHandle === "objects")) return undefined;
    if (taskOf(parent) === task) return parent;
  }
  return undefined;
}
