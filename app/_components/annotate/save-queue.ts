/**
 * The annotate page's writes, in the order the person made them: one at a time, so the server sees an
 * image's edits in order and a confirmation after the edit it confirms. A failed write stays at the head
 * (shown, retried) and nothing behind it is dropped. No React here: the hook in use-save-queue.ts runs it.
 */
import type { TrainingAnnotation } from "../annotator/types";

export type SaveOp =
  | { kind: "save"; imageId: string; annotation: TrainingAnnotation | null }
  | { kind: "confirm"; imageId: string }
  | { kind: "reject"; imageId: string };

export interface SaveQueue {
  /** Waiting writes; the first is the one in flight while `busy`. */
  readonly ops: readonly SaveOp[];
  readonly busy: boolean;
  /** Why the first write failed; the queue waits for a retry. */
  readonly error: string | null;
}

export const EMPTY_QUEUE: SaveQueue = { ops: [], busy: false, error: null };

/**
 * The queue with `op` at its end. A save right behind a waiting (not yet sent) save of the same image
 * replaces it: only the newer annotation needs to reach the server.
 */
export function enqueued(queue: SaveQueue, op: SaveOp): SaveQueue {
  const last = queue.ops[queue.ops.length - 1];
  const lastWaits = queue.ops.length > 1 || (queue.ops.length === 1 && !queue.busy);
  if (op.kind === "save" && last?.kind === "save" && last.imageId === op.imageId && lastWaits) {
    return { ...queue, ops: [...queue.ops.slice(0, -1), op] };
  }
  return { ...queue, ops: [...queue.ops, op] };
}

/** The next write to send, or undefined while one is in flight, the head failed, or nothing waits. */
export function nextOp(queue: SaveQueue): SaveOp | undefined {
  return queue.busy || queue.error !== null ? undefined : queue.ops[0];
}

export function started(queue: SaveQueue): SaveQueue {
  return { ...queue, busy: true };
}

/** After the head write succeeded. */
export function succeeded(queue: SaveQueue): SaveQueue {
  return { ops: queue.ops.slice(1), busy: false, error: null };
}

/** After the head write failed: it stays first, and the queue waits for `retried`. */
export function failed(queue: SaveQueue, message: string): SaveQueue {
  return { ...queue, busy: false, error: message };
}

export function retried(queue: SaveQueue): SaveQueue {
  return { ...queue, error: null };
}

/**
 * What each image shows while its writes are on their way: the annotation of its last waiting save, or
 * none after a rejection (the proposal is gone). Images without waiting edits are absent.
 */
export function pendingEdits(queue: SaveQueue): Map<string, { annotation: TrainingAnnotation | null }> {
  const edits = new Map<string, { annotation: TrainingAnnotation | null }>();
  for (const op of queue.ops) {
    if (op.kind === "save") edits.set(op.imageId, { annotation: op.annotation });
    else if (op.kind === "reject") edits.set(op.imageId, { annotation: null });
  }
  return edits;
}

/** One line for the page: saving, saved, or the failure. */
export function queueStatus(queue: SaveQueue): { tone: "idle" | "saving" | "error"; text: string } {
  if (queue.error !== null) return { tone: "error", text: `Not saved: ${queue.error}` };
  if (queue.ops.length > 0) {
    return { tone: "saving", text: queue.ops.length === 1 ? "Saving…" : `Saving… (${queue.ops.length} changes)` };
  }
  return { tone: "idle", text: "All changes saved" };
}
