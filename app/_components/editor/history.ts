/**
 * Undo / redo over immutable snapshots. A snapshot is recorded after each finished edit (a drag once it
 * ends, a typed config once it settles), so one undo takes back one thing the user did.
 */
export class History<T> {
  readonly #past: T[] = [];
  readonly #future: T[] = [];
  #present: T;
  readonly #limit: number;

  constructor(initial: T, limit = 200) {
    this.#present = initial;
    this.#limit = limit;
  }

  get present(): T {
    return this.#present;
  }

  get canUndo(): boolean {
    return this.#past.length > 0;
  }

  get canRedo(): boolean {
    return this.#future.length > 0;
  }

  /** Records a new state; what was undone before can no longer be redone. Equal states are not recorded. */
  push(next: T, equals: (a: T, b: T) => boolean = Object.is): void {
    if (equals(this.#present, next)) return;
    this.#past.push(this.#present);
    if (this.#past.length > this.#limit) this.#past.shift();
    this.#present = next;
    this.#future.length = 0;
  }

  /** Replaces the present state without a new step (typing into one field keeps amending one step). */
  amend(next: T): void {
    this.#present = next;
    this.#future.length = 0;
  }

  /** Steps back; returns the state to show, or undefined when there is nothing to undo. */
  undo(): T | undefined {
    const previous = this.#past.pop();
    if (previous === undefined) return undefined;
    this.#future.push(this.#present);
    this.#present = previous;
    return previous;
  }

  redo(): T | undefined {
    const next = this.#future.pop();
    if (next === undefined) return undefined;
    this.#past.push(this.#present);
    this.#present = next;
    return next;
  }

  /** Starts over from `state` (a reloaded or restored version): nothing to undo or redo. */
  reset(state: T): void {
    this.#past.length = 0;
    this.#future.length = 0;
    this.#present = state;
  }
}
