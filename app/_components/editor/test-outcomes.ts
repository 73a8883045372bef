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
  timeMs: number;
  credits: number;
  error?: string;
  nested?: TraceEntry[];
}

export interface NodeOutcome {
  /** Times the node ran (once per object under an `objects` handle). */
  runs: number;
  errors: string[];
  /** A one-line summary: "wolf 0.93", "3 objects", "branch: cat". */
  summary: string | undefined;
  timeMs: number;
  credits: number;
  entries: TraceEntry[];
}

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
    const summaries = entries.flatMap((e) => {
      const s = summarize(e);
      return s === undefined ? [] : [s];
    });
    outcomes.set(nodeId, {
      runs: entries.length,
      errors,
      summary: entries.length > 1 && summaries.length > 1 ? summarizeMany(summaries) : summaries[0],
      timeMs: entries.reduce((sum, e) => sum + e.timeMs, 0),
      credits: entries.reduce((sum, e) => sum + e.credits, 0),
      entries,
    });
  }
  return outcomes;
}

function summarizeMany(summaries: string[]): string {
  const counts = new Map<string, number>();
  for (const s of summaries)
    counts.set(s.replace(/ \d\.\d\d$/, ""), (counts.get(s.replace(/ \d\.\d\d$/, "")) ?? 0) + 1);
  return [...counts].map(([s, n]) => (n > 1 ? `${s} ×${n}` : s)).join(", ");
}

/** The most telling thing a node wrote or chose. */
export function summarize(entry: TraceEntry): string | undefined {
  if (entry.error !== undefined) return undefined;
  // Text a node read says more than how many lines it found.
  for (const value of Object.values(entry.written)) if (typeof value === "string" && value !== "") return quoted(value);
  const objects = entry.objects === undefined ? undefined : `${entry.objects} object${entry.objects === 1 ? "" : "s"}`;
  if (entry.objects !== undefined && entry.objects > 0) return objects;
  // No objects (or none found) from a node that may return them: what it wrote says more.
  for (const value of Object.values(entry.written)) {
    const label = labelOf(value) ?? measuresOf(value);
    if (label !== undefined) return label;
  }
  if (objects !== undefined) return objects;
  for (const value of Object.values(entry.written)) if (typeof value === "number") return String(round(value));
  const branch = entry.handles.find((h) => h.startsWith("branch:") || h === "else" || h === "true" || h === "false");
  return branch === undefined ? undefined : `→ ${branch.replace(/^branch:/, "")}`;
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
    if (names.length > 0) return names.slice(0, 3).join(", ");
  }
  return undefined;
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
    return names.length === 0 ? "no labels" : names.join(", ");
  }
  return undefined;
}

export interface DrawnBox {
  box: BoundingBox;
  /** "dog 0.91 · husky 0.80" */
  caption: string;
  /** 0 for objects of the record, 1 for objects found inside an object, … */
  depth: number;
}

/** Every object box of a response record, nested objects too, with a caption of what was found in it. */
export function boxesOf(record: Record<string, unknown>, depth = 0): DrawnBox[] {
  const objects = record._objects;
  if (!Array.isArray(objects)) return [];
  const boxes: DrawnBox[] = [];
  for (const object of objects as Record<string, unknown>[]) {
    const box = object.bound_box;
    if (!Array.isArray(box) || box.length !== 4) continue;
    const parts = [`${String(object.name)} ${typeof object.prob === "number" ? object.prob.toFixed(2) : ""}`.trim()];
    for (const [key, value] of Object.entries(object)) {
      if (key.startsWith("_") || key === "name" || key === "prob" || key === "bound_box") continue;
      const label = typeof value === "string" ? quoted(value) : labelOf(value);
      if (label !== undefined) parts.push(label);
    }
    boxes.push({ box: box as BoundingBox, caption: parts.join(" · "), depth });
    boxes.push(...boxesOf(object, depth + 1));
  }
  return boxes;
}
