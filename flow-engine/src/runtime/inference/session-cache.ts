/**
 * A bounded cache of loaded models: created once per key even when many callers ask at the same
 * moment (single-flight), least recently used evicted and disposed, and never while in use.
 */

interface Entry<V> {
  value: Promise<V>;
  settled: boolean;
  /** Callers between `acquire` and `release`; an entry in use is not evicted. */
  users: number;
}

export interface Lease<V> {
  value: V;
  /** Ends the use; the entry may be evicted afterwards. */
  release(): void;
}

export class SessionCache<V> {
  // A Map iterates in insertion order; re-inserting on use keeps the least recently used first.
  readonly #entries = new Map<string, Entry<V>>();
  readonly #capacity: number;
  readonly #create: (key: string) => Promise<V>;
  readonly #dispose: (key: string, value: V) => Promise<void> | void;
  readonly #onDisposeError: (key: string, err: unknown) => void;

  constructor(options: {
    capacity: number;
    create: (key: string) => Promise<V>;
    dispose: (key: string, value: V) => Promise<void> | void;
    onDisposeError?: (key: string, err: unknown) => void;
  }) {
    if (!(options.capacity >= 1)) throw new RangeError(`cache capacity must be at least 1, got ${options.capacity}`);
    this.#capacity = options.capacity;
    this.#create = options.create;
    this.#dispose = options.dispose;
    this.#onDisposeError = options.onDisposeError ?? (() => undefined);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Keys from least to most recently used. */
  keys(): string[] {
    return [...this.#entries.keys()];
  }

  has(key: string): boolean {
    return this.#entries.has(key);
  }

  /** The value for `key`, created on first use; marks it in use until the lease is released. */
  async acquire(key: string): Promise<Lease<V>> {
    let entry = this.#entries.get(key);
    if (entry) {
      this.#entries.delete(key);
      this.#entries.set(key, entry);
    } else {
      const created: Entry<V> = { value: this.#create(key), settled: false, users: 0 };
      entry = created;
      this.#entries.set(key, created);
      created.value.then(
        () => {
          created.settled = true;
          this.#trim();
        },
        () => {
          // A failed creation is not cached: the next caller tries again.
          if (this.#entries.get(key) === created) this.#entries.delete(key);
        },
      );
    }
    entry.users++;
    let value: V;
    try {
      value = await entry.value;
    } catch (err) {
      entry.users--;
      throw err;
    }
    const held = entry;
    let released = false;
    return {
      value,
      release: () => {
        if (released) return;
        released = true;
        held.users--;
        this.#trim();
      },
    };
  }

  /** Runs `fn` with the value for `key`, holding it in use meanwhile. */
  async use<T>(key: string, fn: (value: V) => Promise<T>): Promise<T> {
    const lease = await this.acquire(key);
    try {
      return await fn(lease.value);
    } finally {
      lease.release();
    }
  }

  /** Disposes `key` now if it is loaded and idle; returns whether it did. */
  async evict(key: string): Promise<boolean> {
    const entry = this.#entries.get(key);
    if (!entry || !entry.settled || entry.users > 0) return false;
    this.#entries.delete(key);
    await this.#disposeEntry(key, entry);
    return true;
  }

  /** Disposes every entry (in use or not). */
  async clear(): Promise<void> {
    const entries = [...this.#entries];
    this.#entries.clear();
    await Promise.all(entries.map(([key, entry]) => this.#disposeEntry(key, entry)));
  }

  async #disposeEntry(key: string, entry: Entry<V>): Promise<void> {
    try {
      await this.#dispose(key, await entry.value);
    } catch (err) {
      this.#onDisposeError(key, err);
    }
  }

  #trim(): void {
    if (this.#entries.size <= this.#capacity) return;
    for (const [key, entry] of this.#entries) {
      if (this.#entries.size <= this.#capacity) break;
      if (!entry.settled || entry.users > 0) continue;
      this.#entries.delete(key);
      void this.#disposeEntry(key, entry);
    }
  }
}
