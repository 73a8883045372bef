/** Turns a debug run's node traces into what the canvas shows per node, and the boxes the image shows. */
import type { BoundingBox } from "@vizflow/sdk";

/** One node's trace as the test run returns it (a subset of the engine's NodeTrace, as JSON). */
export interface TraceEntry {
  nodeId: string;
  action: string;
  scope: { kind: "record" } | { kind: "object"; path: readonly number[]; box: BoundingBox };
  seen: Record<string, unknown>;
  written: Record<string, unknown>;
  handles: string[];
  objects?: number;
  /** Objects returned past the fan-out cap, which the node's `objects` children did not run on. */
  objectsSkipped?: number;
  timeMs: number;
  credits: number;
  error?: string;
  nested?: TraceEntry[];
}

/** How often one label came out of a node's runs (its best label, its tags, the objects it found, its branch). */
export interface LabelCount {
  label: string;
  count: number;
}

export interface NodeOutcome {
  /** Times the node ran (once per object under an `objects` handle). */
  runs: number;
  errors: string[];
  /** A short line for the node card: "wolf 0.93", "3 objects", "cat ×3 · dog ×1 · +2 more". */
  summary: string | undefined;
  /** Every label the node produced, most frequent first; the panel lists them one per line. */
  labels: LabelCount[];
  timeMs: number;
  credits: number;
  /** Objects its runs found but left out because of a cap (their `_objects_dropped`, summed). */
  dropped: number;
  /** Objects its `objects` children did not run on because of the fan-out cap, summed over its runs. */
  objectsSkipped: number;
  entries: TraceEntry[];
  /** Set when the node's settings or anything upstream changed after this test ran. */
  stale?: boolean;
  /** The entry a user asked to see by clicking its object's box; `at` counts the clicks. */
  focus?: { entry: number; at: number };
}

/** Labels shown on a node card before "+n more"; the panel shows them all. */
export const SUMMARY_LABELS = 2;
const SUMMARY_LABEL_CHARS = 22;

/** Outcomes by node id; nodes absent from the map did not run (skipped). */
export function outcomesOf(trace: readonly TraceEntry[]): Map<string, NodeOutcome> {
  const byNode = new Map<string, TraceEntry[]>();
  for (const entry of trace) {
    const list = byNode.get(entry.nodeId);
    if (list) list.push(entry);
    else byNode.set(entry.nodeId, [entry]);
  }
  const outcomes = new Map<string, NodeOutcome>();
  for (const [nodeId, entries] of byNode) {
    const errors = entries.flatMap((e) => (e.error === undefined ? [] : [e.error]));
    const labels = countLabels(entries.flatMap(labelsOf));
    const summaries = entries.flatMap((e) => {
      const s = summarize(e);
      return s === undefined ? [] : [s];
    });
    const many = entries.length > 1 && summaries.length > 1;
    const objectsFound = entries.some((e) => (e.objects ?? 0) > 0);
    outcomes.set(nodeId, {
      runs: entries.length,
      errors,
      summary:
        many && labels.length > 0 && !objectsFound
          ? summarizeCounts(labels)
          : many
            ? summarizeMany(summaries)
            : summaries[0],
      labels,
      timeMs: entries.reduce((sum, e) => sum + e.timeMs, 0),
      credits: entries.reduce((sum, e) => sum + e.credits, 0),
      dropped: entries.reduce((sum, e) => sum + droppedOf(e), 0),
      objectsSkipped: entries.reduce((sum, e) => sum + (e.objectsSkipped ?? 0), 0),
      entries,
    });
  }
  return outcomes;
}

/** How many objects a run left out because of a cap (what it wrote as `_objects_dropped`). */
export function droppedOf(entry: TraceEntry): number {
  const dropped = entry.written._objects_dropped;
  return typeof dropped === "number" && Number.isFinite(dropped) && dropped > 0 ? dropped : 0;
}

/** Counts equal labels; most frequent first, ties in the order they were first seen. */
export function countLabels(labels: readonly string[]): LabelCount[] {
  const counts = new Map<string, number>();
  for (const label of labels) counts.set(label, (counts.get(label) ?? 0) + 1);
  return [...counts]
    .map(([label, count], index) => ({ label, count, index }))
    .sort((a, b) => b.count - a.count || a.index - b.index)
    .map(({ label, count }) => ({ label, count }));
}

/**
 * The top few labels with their counts, "cat ×3 · dog ×1 · +2 more". Labels may contain commas
 * ("tabby, tabby cat"), so they are never joined with commas.
 */
export function summarizeCounts(labels: readonly LabelCount[], top = SUMMARY_LABELS): string {
  const shown = labels.slice(0, top).map(({ label, count }) => `${shorten(label)} ×${count}`);
  const rest = labels.length - top;
  return [...shown, ...(rest > 0 ? [`+${rest} more`] : [])].join(" · ");
}

/** A label cut to fit a node card; the full one is in the panel. */
function shorten(label: string): string {
  return label.length > SUMMARY_LABEL_CHARS ? `${label.slice(0, SUMMARY_LABEL_CHARS - 1)}…` : label;
}

/** The labels one run produced: its best label or its tags, the names of the objects it found, or its branch. */
function labelsOf(entry: TraceEntry): string[] {
  if (entry.error !== undefined) return [];
  const found: string[] = [];
  for (const [key, value] of Object.entries(entry.written)) {
    if (key === "_objects" && Array.isArray(value)) {
      for (const object of value as { name?: unknown }[]) if (typeof object?.name === "string") found.push(object.name);
      continue;
    }
    if (typeof value !== "object" || value === null) continue;
    const best = (value as { best_label?: { name?: unknown } }).best_label;
    if (best && typeof best.name === "string") {
      found.push(best.name);
      continue;
    }
    const labels = (value as { labels?: unknown }).labels;
    if (Array.isArray(labels))
      for (const l of labels as { name?: unknown }[]) if (typeof l?.name === "string") found.push(l.name);
  }
  if (found.length > 0) return found;
  const branch = branchOf(entry);
  return branch === undefined ? [] : [branch];
}

function branchOf(entry: TraceEntry): string | undefined {
  const branch = entry.handles.find((h) => h.startsWith("branch:") || h === "else" || h === "true" || h === "false");
  return branch?.replace(/^branch:/, "");
}

function summarizeMany(summaries: string[]): string {
  return summarizeCounts(countLabels(summaries.map((s) => s.replace(/ \d\.\d\d$/, ""))));
}

/** The most telling thing a node wrote or chose. */
export function summarize(entry: TraceEntry): string | undefined {
  if (entry.error !== undefined) return undefined;
  // Text a node read says more than how many lines it found.
  for (const value of Object.values(entry.written)) if (typeof value === "string" && value !== "") return quoted(value);
  // A Detection writes its objects without running anything on each (no fan-out count): count what it wrote.
  const written = entry.written._objects;
  const found = entry.objects ?? (Array.isArray(written) ? written.length : undefined);
  const objects = found === undefined ? undefined : `${found} object${found === 1 ? "" : "s"}`;
  if (found !== undefined && found > 0) return objects;
  // No objects (or none found) from a node that may return them: what it wrote says more.
  for (const value of Object.values(entry.written)) {
    const label = labelOf(value) ?? measuresOf(value);
    if (label !== undefined) return label;
  }
  if (objects !== undefined) return objects;
  for (const value of Object.values(entry.written)) if (typeof value === "number") return String(round(value));
  const branch = branchOf(entry);
  return branch === undefined ? undefined : `→ ${branch}`;
}

const round = (value: number) => Math.round(value * 1000) / 1000;

function quoted(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `“${line.length > 28 ? `${line.slice(0, 27)}…` : line}”`;
}

/**
 * What a service's result object says at a glance: its first two numbers (`sharpness 812.4 · brightness
 * 0.52`), or the names in its first list of named things (`white, navy, red`).
 */
function measuresOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return undefined;
  const entries = Object.entries(value as Record<string, unknown>);
  const numbers = entries.filter((e): e is [string, number] => typeof e[1] === "number");
  if (numbers.length > 0)
    return numbers
      .slice(0, 2)
      .map(([key, n]) => `${key} ${round(n)}`)
      .join(" · ");
  for (const [, inner] of entries) {
    if (!Array.isArray(inner)) continue;
    const names = inner.flatMap((item) =>
      typeof (item as { name?: unknown } | null)?.name === "string" ? [(item as { name: string }).name] : [],
    );
    if (names.length > 0) return summarizeNames(names, 3);
  }
  return undefined;
}

/** Names one run produced (its tags, colours), the first few then "+n more"; never joined with commas. */
function summarizeNames(names: readonly string[], top = SUMMARY_LABELS): string {
  const rest = names.length - top;
  return [...names.slice(0, top).map(shorten), ...(rest > 0 ? [`+${rest} more`] : [])].join(" · ");
}

function labelOf(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const best = (value as { best_label?: { name?: unknown; prob?: unknown } }).best_label;
  if (best && typeof best.name === "string" && typeof best.prob === "number")
    return `${best.name} ${best.prob.toFixed(2)}`;
  const labels = (value as { labels?: unknown }).labels;
  if (Array.isArray(labels)) {
    const names = labels.flatMap((l) =>
      typeof (l as { name?: unknown }).name === "string" ? [(l as { name: string }).name] : [],
    );
    return names.length === 0 ? "no labels" : summarizeNames(names);
  }
  return undefined;
}

export interface DrawnBox {
  box: BoundingBox;
  /** "dog 0.91 · husky 0.80" */
  caption: string;
  /** 0 for objects of the record, 1 for objects found inside an object, … */
  depth: number;
  /** Where the object sits: its index in the record's `_objects`, then in that object's `_objects`, … */
  path: number[];
}

/** Every object box of a response record, nested objects too, with a caption of what was found in it. */
export function boxesOf(record: Record<string, unknown>, path: readonly number[] = []): DrawnBox[] {
  const objects = record._objects;
  if (!Array.isArray(objects)) return [];
  const boxes: DrawnBox[] = [];
  for (const [index, object] of (objects as Record<string, unknown>[]).entries()) {
    const box = object.bound_box;
    if (!Array.isArray(box) || box.length !== 4) continue;
    const parts = [`${String(object.name)} ${typeof object.prob === "number" ? object.prob.toFixed(2) : ""}`.trim()];
    for (const [key, value] of Object.entries(object)) {
      if (key.startsWith("_") || key === "name" || key === "prob" || key === "bound_box") continue;
      const label = typeof value === "string" ? quoted(value) : labelOf(value);
      if (label !== undefined) parts.push(label);
    }
    const at = [...path, index];
    boxes.push({ box: box as BoundingBox, caption: parts.join(" · "), depth: path.length, path: at });
    boxes.push(...boxesOf(object, at));
  }
  return boxes;
}

/** A node's trace entry to show for a clicked object box. */
export interface ObjectTrace {
  nodeId: string;
  /** The entry's index in that node's `NodeOutcome.entries`. */
  entry: number;
}

const samePath = (a: readonly number[], b: readonly number[]) => a.length === b.length && a.every((n, i) => n === b[i]);

/**
 * What ran on an object: the first node (in run order) with an entry on that object's crop, else the
 * node that found it (the entry one level up that returned objects).
 */
export function objectTrace(trace: readonly TraceEntry[], path: readonly number[]): ObjectTrace | undefined {
  const find = (match: (entry: TraceEntry) => boolean): ObjectTrace | undefined => {
    const at = trace.findIndex(match);
    const hit = trace[at];
    if (hit === undefined) return undefined;
    // outcomesOf keeps each node's entries in run order, so this is the entry's index there.
    return { nodeId: hit.nodeId, entry: trace.slice(0, at).filter((e) => e.nodeId === hit.nodeId).length };
  };
  const scopePath = (entry: TraceEntry) => (entry.scope.kind === "record" ? [] : entry.scope.path);
  return (
    find((e) => e.scope.kind === "object" && samePath(e.scope.path, path)) ??
    find((e) => (e.objects ?? 0) > 0 && samePath(scopePath(e), path.slice(0, -1)))
  );
}
