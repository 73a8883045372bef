/**
 * What the validator needs to know about the workspace: a synchronous snapshot, so the same
 * validation runs in the browser as you edit, in tRPC on save, and in the engine.
 */
import type { TaskType } from "./records.js";

export interface TaskSummary {
  id: string;
  name: string;
  type: TaskType;
  labels: readonly string[];
}

export interface FlowSummary {
  id: string;
  name: string;
  /** Saved version numbers. */
  versions: readonly number[];
  deployedVersion?: number;
  /** Flow ids that each saved version of this flow nests (for recursion checks). */
  nestedFlowIds: readonly string[];
}

export interface WorkspaceCatalog {
  tasks: ReadonlyMap<string, TaskSummary>;
  flows: ReadonlyMap<string, FlowSummary>;
  /** The flow being validated, so a nested reference back to it is recursion. */
  currentFlowId?: string;
}

export function emptyCatalog(): WorkspaceCatalog {
  return { tasks: new Map(), flows: new Map() };
}
