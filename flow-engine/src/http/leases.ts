/**
 * The leases of this process's running requests: their credit holds and idempotency claims (both under the
 * request id) are renewed together, in one statement per table, a few times per lease; when the process
 * dies, renewal stops and any other process releases them once the lease lapsed (`releaseLapsedCreditHolds`).
 */
import { renewClaimLeases, renewHoldLeases, type Database } from "@vizflow/db";
import type { Logger } from "@vizflow/sdk";

/** How long a hold or claim outlives a process that stopped renewing it (default 10 s). */
export const DEFAULT_HOLD_LEASE_MS = 10_000;

export class LeaseKeeper {
  readonly leaseMs: number;
  readonly #db: Database["db"];
  readonly #log: Logger;
  /** Request id -> how many runs keep it (a retried job attempt may overlap its own cleanup). */
  readonly #kept = new Map<string, number>();
  #timer: NodeJS.Timeout | undefined;
  #renewing: Promise<void> | undefined;

  constructor(db: Database["db"], log: Logger, leaseMs = DEFAULT_HOLD_LEASE_MS) {
    this.#db = db;
    this.#log = log;
    this.leaseMs = leaseMs;
  }

  /** Keeps the lease of request `id` renewed until the returned function is called. */
  keep(id: string): () => void {
    this.#kept.set(id, (this.#kept.get(id) ?? 0) + 1);
    this.#timer ??= setInterval(() => void this.renew(), Math.max(50, Math.floor(this.leaseMs / 3)));
    this.#timer.unref();
    let done = false;
    return () => {
      if (done) return;
      done = true;
      const count = (this.#kept.get(id) ?? 1) - 1;
      if (count > 0) this.#kept.set(id, count);
      else this.#kept.delete(id);
      if (this.#kept.size === 0) this.#stopTimer();
    };
  }

  /** The ids kept now. */
  get kept(): string[] {
    return [...this.#kept.keys()];
  }

  /** Renews every kept lease now (the timer does it every third of a lease). */
  renew(): Promise<void> {
    // One renewal at a time: a slow database does not pile them up.
    this.#renewing ??= (async () => {
      const ids = this.kept;
      try {
        await renewHoldLeases(this.#db, ids, this.leaseMs);
        await renewClaimLeases(this.#db, ids, this.leaseMs);
      } catch (error) {
        this.#log.warn("could not renew the leases of running requests", {
          requests: ids.length,
          error: (error as Error).message,
        });
      } finally {
        this.#renewing = undefined;
      }
    })();
    return this.#renewing;
  }

  #stopTimer(): void {
    if (this.#timer) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  stop(): void {
    this.#stopTimer();
  }
}
