/**
 * Whether a node's test outcome still describes the draft: it does while the node's action and settings
 * and everything upstream of it (its ancestors and the handles between them) are as they were when the
 * test ran. Names and positions do not change what a node does and are left out, and so do settings
 * that only spell out their default (the settings form fills those in when a node is opened).
 */
import type { FlowGraph, FlowNode } from "@vizflow/sdk";
import type { NodeOutcome } from "./test-outcomes";

/** The defaults an action's config schema gives its top-level settings. */
export type DefaultsOf = (action: string) => Readonly<Record<string, unknown>> | undefined;

/** The `default` of each top-level property of a JSON Schema object. */
export function schemaDefaults(schema: unknown): Record<string, unknown> {
  const properties = (schema as { properties?: unknown } | null)?.properties;
  if (typeof properties !== "object" || properties === null) return {};
  const defaults: Record<string, unknown> = {};
  for (const [key, property] of Object.entries(properties))
    if (typeof property === "object" && property !== null && "default" in property)
      defaults[key] = (property as { default: unknown }).default;
  return defaults;
}

/** JSON with object keys sorted, so settings written in another order print the same. */
function stableJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(stableJson).join(",")}]`;
  if (typeof value === "object" && value !== null) {
    const entries = Object.entries(value)
      .filter(([, inner]) => inner !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, inner]) => `${JSON.stringify(key)}:${stableJson(inner)}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

/** A fingerprint per node of what decides its outcome. */
export function outcomeFingerprints(graph: FlowGraph, defaultsOf?: DefaultsOf): Map<string, string> {
  const nodes = new Map(graph.nodes.map((n) => [n.id, n]));
  const parentEdge = new Map(graph.edges.map((e) => [e.target, e]));
  const prints = new Map<string, string>();
  const own = (node: FlowNode) => stableJson([node.action, { ...defaultsOf?.(node.action), ...node.config }]);
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
