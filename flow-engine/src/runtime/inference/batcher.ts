/**
 * Dynamic batching for models with a dynamic batch axis: inputs submitted for the same model while
 * it is busy (or within one turn of the event loop) leave together as one batch. A batch leaves on
 * the next turn while fewer than `concurrency` batches of that model are running; otherwise the
 * inputs wait and leave together when a run ends, so batches grow under load and cost no latency
 * when idle.
 */
import type { Tensor } from "@vizflow/sdk";
import { splitBatch, stackBatch } from "./batch.js";

type FloatTensor = Tensor & { data: Float32Array };
type Outputs = Record<string, Tensor>;
type RunBatch = (batch: FloatTensor) => Promise<Outputs>;

interface Pending {
  tensor: FloatTensor;
  resolve: (outputs: Outputs) => void;
  reject: (err: unknown) => void;
}

interface Queue {
  pending: Pending[];
  run: RunBatch;
  scheduled: boolean;
  running: number;
}

export class DynamicBatcher {
  readonly #queues = new Map<string, Queue>();
  readonly #maxBatch: number;
  readonly #concurrency: () => number;

  /** `concurrency`: batches of one model allowed to run at once (the inference pool's size). */
  constructor(options: { maxBatch: number; concurrency: () => number }) {
    this.#maxBatch = Math.max(1, options.maxBatch);
    this.#concurrency = options.concurrency;
  }

  /** Queues one input [1, ...] of model `key`; resolves with its own outputs [1, ...]. */
  submit(key: string, tensor: FloatTensor, run: RunBatch): Promise<Outputs> {
    return new Promise((resolve, reject) => {
      let queue = this.#queues.get(key);
      if (!queue) {
        queue = { pending: [], run, scheduled: false, running: 0 };
        this.#queues.set(key, queue);
      }
      queue.pending.push({ tensor, resolve, reject });
      this.#schedule(key, queue);
    });
  }

  #schedule(key: string, queue: Queue): void {
    if (queue.scheduled || queue.pending.length === 0 || queue.running >= this.#concurrency()) return;
    queue.scheduled = true;
    setImmediate(() => {
      queue.scheduled = false;
      this.#flush(key, queue);
    });
  }

  #flush(key: string, queue: Queue): void {
    const chunk = queue.pending.splice(0, this.#maxBatch);
    if (chunk.length === 0) return;
    queue.running++;
    const done = () => {
      queue.running--;
      if (queue.pending.length > 0) this.#schedule(key, queue);
      else if (queue.running === 0 && !queue.scheduled) this.#queues.delete(key);
    };
    const batch = chunk.length === 1 ? (chunk[0] as Pending).tensor : stackBatch(chunk.map((p) => p.tensor));
    queue.run(batch).then(
      (outputs) => {
        done();
        let items: Outputs[];
        try {
          items = chunk.length === 1 ? [outputs] : splitBatch(outputs, chunk.length);
        } catch (err) {
          for (const p of chunk) p.reject(err);
          return;
        }
        chunk.forEach((p, i) => p.resolve(items[i] as Outputs));
      },
      (err: unknown) => {
        done();
        for (const p of chunk) p.reject(err);
      },
    );
    this.#schedule(key, queue);
  }
}
