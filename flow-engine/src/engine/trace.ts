/** The per-node trace of a debug run (the editor's test run). */
import type { BoundingBox } from "@vizflow/sdk";

/** Where a node ran: the record, or one object (indices into `_objects` from the record down). */
export type TraceScope = { kind: "record" } | { kind: "object"; path: readonly number[]; box: BoundingBox };

export interface NodeTrace {
  nodeId: string;
  /** `<plugin>/<action>@<major>` */
  action: string;
  scope: TraceScope;
  /** Fields of the scope the node saw when it started. */
  seen: Record<string, unknown>;
  /** Fields it wrote (empty when it failed). */
  written: Record<string, unknown>;
  /** Handles it took (empty when it failed). */
  handles: string[];
  /** Number of objects an `objects` handle fanned out to. */
  objects?: number;
  /**
   * Objects the node returned that its `objects` children did not run on: past the fan-out cap (the
   * action's `maxObjects`, else the engine's `maxFanOut`). They stay in `_objects`. Absent when none.
   */
  objectsSkipped?: number;
  timeMs: number;
  /** Credits this run cost (0 when it failed). */
  credits: number;
  error?: string;
  /** Nodes of a nested flow this node ran. */
  nested?: NodeTrace[];
}
