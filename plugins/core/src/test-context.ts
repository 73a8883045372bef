/** A fake action context for the core actions' unit tests: fixed predictions per task, no pixels. */
import type { ActionContext, ActionOutput, BoundingBox, Scope, ScopeImage, TaskPrediction } from "@vizflow/sdk";

export interface FakeContextOptions {
  predictions?: Record<string, TaskPrediction>;
  /** The scope's region in root pixels (default a 100x100 record). */
  box?: BoundingBox;
  callAction?: ActionContext["callAction"];
  runFlow?: ActionContext["runFlow"];
}

export function fakeImage(box: BoundingBox = [0, 0, 100, 100]): ScopeImage {
  const [left, top, right, bottom] = box;
  return {
    width: right - left,
    height: bottom - top,
    box,
    pixels: () => Promise.reject(new Error("the fake image has no pixels")),
    toTensor: () => Promise.reject(new Error("the fake image makes no tensors")),
    toRoot: ([x0, y0, x1, y1]) => [x0 + left, y0 + top, x1 + left, y1 + top],
  };
}

export function fakeContext(options: FakeContextOptions = {}): ActionContext {
  const unexpected = (what: string) => (): Promise<ActionOutput> => Promise.reject(new Error(`unexpected ${what}`));
  return {
    image: fakeImage(options.box),
    models: {
      predict: (taskId) => {
        const prediction = options.predictions?.[taskId];
        return prediction ? Promise.resolve(prediction) : Promise.reject(new Error(`task ${taskId} does not exist`));
      },
      run: () => Promise.reject(new Error("the fake host runs no model files")),
    },
    log: { debug() {}, info() {}, warn() {}, error() {} },
    signal: new AbortController().signal,
    callAction: options.callAction ?? unexpected("callAction"),
    runFlow: options.runFlow ?? unexpected("runFlow"),
  };
}

export function recordScope(fields: Record<string, unknown> = {}): Scope {
  return { kind: "record", fields };
}

export const categorization = (best: string, probs: Record<string, number>): TaskPrediction => ({
  type: "categorization",
  result: {
    best_label: { name: best, prob: probs[best] ?? 0 },
    labels: Object.entries(probs).map(([name, prob]) => ({ name, prob })),
  },
});

export const tagging = (probs: Record<string, number>): TaskPrediction => ({
  type: "tagging",
  result: { labels: Object.entries(probs).map(([name, prob]) => ({ name, prob })) },
});
