/**
 * The process's budget of decoded pixels in flight: a request takes the pixels its records decode to
 * before the first decode and gives them back when it is done, so the decoded images alive at once stay
 * within the budget whatever the number of requests. Past the budget, requests wait in arrival order for
 * a bounded time (and in a bounded queue), then are refused with 503 and a `Retry-After`.
 */

/** The budget stayed full for the whole wait, or too many requests were already waiting (HTTP 503). */
export class PixelBudgetBusyError extends Error {
  readonly status = 503;
  constructor(
    message: string,
    /** Seconds after which a retry has a fair chance (`Retry-After`). */
    readonly retryAfterSeconds: number,
  ) {
    super(message);
    this.name = "PixelBudgetBusyError";
  }
}

/** A request's images decode to more pixels than one request may (HTTP 413). */
export class RequestPixelsError extends Error {
  readonly status = 413;
  constructor(
    readonly pixels: number,
    readonly limit: number,
  ) {
    super(
      `the request's images decode to ${megapixels(pixels)} in all, more than the limit of ${megapixels(limit)} per request; send fewer or smaller images per request`,
    );
    this.name = "RequestPixelsError";
  }
}

export function megapixels(pixels: number): string {
  return `${(pixels / 1e6).toFixed(pixels < 1e6 ? 2 : 1)} megapixels`;
}

export interface PixelBudgetOptions {
  /** Decoded pixels in flight in this process at most. */
  capacity: number;
  /** How long a request waits for room before its 503 (ms). */
  maxWaitMs: number;
  /** Requests waiting at most; one more is refused at once. */
  maxWaiting: number;
}

interface Waiter {
  pixels: number;
  grant: () => void;
}

/** Gives the pixels back; calling it again does nothing. */
export type ReleasePixels = () => void;

export class PixelBudget {
  readonly capacity: number;
  readonly maxWaitMs: number;
  readonly maxWaiting: number;
  #used = 0;
  readonly #queue: Waiter[] = [];

  constructor(options: PixelBudgetOptions) {
    if (!(options.capacity > 0)) throw new RangeError("the pixel budget's capacity must be positive");
    this.capacity = options.capacity;
    this.maxWaitMs = options.maxWaitMs;
    this.maxWaiting = options.maxWaiting;
  }

  /** Pixels taken now. */
  get used(): number {
    return this.#used;
  }

  /** Requests waiting for room now. */
  get waiting(): number {
    return this.#queue.length;
  }

  get #retryAfterSeconds(): number {
    return Math.min(30, Math.max(1, Math.ceil(this.maxWaitMs / 1000)));
  }

  /**
   * Takes `pixels` (at most the capacity: bigger requests are the per-request limit's to refuse), waiting
   * in arrival order while the budget is full.
   * `untilRoom` waits as long as it takes (queued jobs: their worker concurrency bounds them, and a refusal
   * would only run them again later).
   * @throws PixelBudgetBusyError when the wait passes `maxWaitMs` or the queue is full; the signal's reason
   *   when it aborts while waiting.
   */
  async acquire(pixels: number, signal?: AbortSignal, options: { untilRoom?: boolean } = {}): Promise<ReleasePixels> {
    const bounded = options.untilRoom !== true;
    const amount = Math.min(Math.max(0, Math.ceil(pixels)), this.capacity);
    signal?.throwIfAborted();
    // First come, first served: one that arrives while others wait queues behind them.
    if (this.#queue.length === 0 && this.#used + amount <= this.capacity) return this.#take(amount);
    if (bounded && this.#queue.length >= this.maxWaiting) {
      throw new PixelBudgetBusyError(
        `the engine is busy: ${this.#queue.length} requests already wait for room to decode their images; retry shortly`,
        this.#retryAfterSeconds,
      );
    }
    return new Promise<ReleasePixels>((resolve, reject) => {
      const waiter: Waiter = {
        pixels: amount,
        grant: () => {
          cleanup();
          resolve(this.#take(amount));
        },
      };
      const leave = () => {
        const index = this.#queue.indexOf(waiter);
        if (index >= 0) this.#queue.splice(index, 1);
        cleanup();
        // The head left: those behind it may fit now.
        this.#drain();
      };
      const timer = bounded
        ? setTimeout(() => {
            leave();
            reject(
              new PixelBudgetBusyError(
                `the engine is busy: no room to decode this request's ${megapixels(amount)} within ${this.maxWaitMs} ms (${megapixels(this.#used)} of ${megapixels(this.capacity)} in use); retry shortly`,
                this.#retryAfterSeconds,
              ),
            );
          }, this.maxWaitMs)
        : undefined;
      const onAbort = () => {
        leave();
        const reason: unknown = signal?.reason;
        reject(
          reason instanceof Error ? reason : new Error(`aborted while waiting for room to decode: ${String(reason)}`),
        );
      };
      const cleanup = () => {
        clearTimeout(timer);
        signal?.removeEventListener("abort", onAbort);
      };
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#queue.push(waiter);
    });
  }

  #take(amount: number): ReleasePixels {
    this.#used += amount;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.#used -= amount;
      this.#drain();
    };
  }

  #drain(): void {
    for (let head = this.#queue[0]; head && this.#used + head.pixels <= this.capacity; head = this.#queue[0]) {
      this.#queue.shift();
      head.grant();
    }
  }
}
