/** What changed between two versions of a flow: nodes and edges added, removed and changed, with config paths. */
import type { FlowEdge, FlowGraph, FlowNode } from "@vizflow/sdk";

export interface ValueChange {
  /** JSON pointer inside the node (`/config/threshold`, `/label`, `/action`). */
  path: string;
  before: unknown;
  after: unknown;
}

export interface NodeDiff {
  added: FlowNode[];
  removed: FlowNode[];
  changed: { before: FlowNode; after: FlowNode; changes: ValueChange[] }[];
}

export interface EdgeDiff {
  added: FlowEdge[];
  removed: FlowEdge[];
  changed: { before: FlowEdge; after: FlowEdge; changes: ValueChange[] }[];
}

export interface GraphDiff {
  nodes: NodeDiff;
  edges: EdgeDiff;
  /** True when nothing but positions differ. */
  same: boolean;
}

/** Compares two graphs by node and edge id. Positions are layout, not behaviour, and are not reported. */
export function diffGraphs(before: FlowGraph, after: FlowGraph): GraphDiff {
  const nodes = diffById(before.nodes, after.nodes, (a, b) => [
    ...valueChanges("/action", a.action, b.action),
    ...valueChanges("/label", a.label, b.label),
    ...valueChanges("/config", a.config, b.config),
  ]);
  // An edge is identified by where it goes, so a re-drawn connection with a new id is not a change.
  const key = (e: FlowEdge) => `${e.source}\u0000${e.sourceHandle}\u0000${e.target}`;
  const edges = diffById(
    before.edges.map((e) => ({ ...e, id: key(e), originalId: e.id })),
    after.edges.map((e) => ({ ...e, id: key(e), originalId: e.id })),
    (a, b) => valueChanges("/order", a.order, b.order),
  );
  const strip = ({ originalId, ...edge }: FlowEdge & { originalId: string }): FlowEdge => ({ ...edge, id: originalId });
  const edgeDiff: EdgeDiff = {
    added: edges.added.map(strip),
    removed: edges.removed.map(strip),
    changed: edges.changed.map((c) => ({ before: strip(c.before), after: strip(c.after), changes: c.changes })),
  };
  const same =
    nodes.added.length + nodes.removed.length + nodes.changed.length === 0 &&
    edgeDiff.added.length + edgeDiff.removed.length + edgeDiff.changed.length === 0;
  return { nodes, edges: edgeDiff, same };
}

function diffById<T extends { id: string }>(
  before: readonly T[],
  after: readonly T[],
  compare: (a: T, b: T) => ValueChange[],
): { added: T[]; removed: T[]; changed: { before: T; after: T; changes: ValueChange[] }[] } {
  const old = new Map(before.map((item) => [item.id, item]));
  const next = new Map(after.map((item) => [item.id, item]));
  const added = after.filter((item) => !old.has(item.id));
  const removed = before.filter((item) => !next.has(item.id));
  const changed: { before: T; after: T; changes: ValueChange[] }[] = [];
  for (const item of after) {
    const previous = old.get(item.id);
    if (previous === undefined) continue;
    const changes = compare(previous, item);
    if (changes.length > 0) changed.push({ before: previous, after: item, changes });
  }
  return { added, removed, changed };
}

/** Leaf-level differences between two JSON values, each at its JSON pointer under `path`. */
export function valueChanges(path: string, before: unknown, after: unknown): ValueChange[] {
  if (isPlainObject(before) && isPlainObject(after)) {
    const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])].sort();
    return keys.flatMap((key) => valueChanges(`${path}/${escapePointer(key)}`, before[key], after[key]));
  }
  return jsonEqual(before, after) ? [] : [{ path, before, after }];
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function escapePointer(key: string): string {
  return key.replace(/~/g, "~0").replace(/\//g, "~1");
}

/** Structural equality of JSON values (key order does not matter). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isPlainObject(a) && isPlainObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => k in b && jsonEqual(a[k], b[k]));
  }
  return false;
}
