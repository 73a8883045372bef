/**
 * Scopes and what a branch of the tree sees of them. Writes land in the scope's store (the response)
 * at once; visibility is per branch: concurrent siblings each see the scope as it was when they forked
 * plus their own subtree's writes, and a branch's writes join its parent's view when it completes, so a
 * `sequence` sibling sees everything its predecessors' subtrees wrote.
 */
import type { DetectedObject } from "@vizflow/sdk";

import type { RecordImage } from "./sources.js";

export interface ScopeState {
  kind: "record" | "object";
  image: RecordImage;
  /** Where writes land: the record's written fields, or the object inside its parent's `_objects`. */
  store: Record<string, unknown>;
  object?: DetectedObject;
  /** Object indices from the record down (empty for the record). */
  path: readonly number[];
  /** The root image's size (boxes are clamped to it); the record scope's own image when absent. */
  root?: { width: number; height: number };
}

export class ScopeView {
  readonly fields: Record<string, unknown>;
  readonly #written = new Set<string>();

  constructor(fields: Readonly<Record<string, unknown>>) {
    this.fields = { ...fields };
  }

  /** A view for a concurrent branch: what is visible now, and nothing its siblings write. */
  fork(): ScopeView {
    return new ScopeView(this.fields);
  }

  write(field: string, value: unknown): void {
    this.fields[field] = value;
    this.#written.add(field);
  }

  /** Makes a completed branch's writes visible here. */
  join(branch: ScopeView): void {
    for (const field of branch.#written) this.write(field, branch.fields[field]);
  }
}
