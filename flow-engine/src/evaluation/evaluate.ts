/**
 * Runs a model over the images of a test set and scores it: the metrics of the task type, and one result
 * per image (what was predicted, whether it was right) so the page can show the failures.
 */
import type { DetectedObject, TaskPrediction, TaskType } from "@vizflow/sdk";
import {
  categorizationMetrics,
  detectionMetrics,
  matchDetections,
  regressionMetrics,
  taggingMetrics,
  type EvaluationMetrics,
  type TrueObject,
} from "./metrics.js";
import type { Truth } from "./test-set-layout.js";

export interface EvaluationSample {
  readonly position: number;
  readonly truth: Truth;
}

/** One image's outcome. `predicted` is a short, JSON-ready form of the prediction. */
export interface ImageResult {
  readonly position: number;
  readonly correct: boolean;
  readonly truth: Truth;
  readonly predicted:
    | { readonly label: string; readonly prob: number }
    | { readonly labels: readonly string[] }
    | { readonly value: number }
    | { readonly objects: readonly { name: string; prob: number; box: [number, number, number, number] }[] }
    | { readonly error: string };
}

export interface EvaluationOutcome {
  readonly metrics: EvaluationMetrics;
  readonly results: readonly ImageResult[];
}

export interface EvaluateOptions {
  readonly taskType: TaskType;
  readonly labels: readonly string[];
  readonly samples: readonly EvaluationSample[];
  /** Runs the model on one sample's image. A rejection counts as a wrong prediction with its message. */
  readonly predict: (sample: EvaluationSample) => Promise<TaskPrediction>;
  /** Called after each image with how many are done. */
  readonly onProgress?: (processed: number) => void | Promise<void>;
  /** Images run at once (default 2). */
  readonly concurrency?: number;
  readonly signal?: AbortSignal;
}

/** Regression answers within this relative tolerance count as right in the per-image list. */
const REGRESSION_TOLERANCE = 0.1;

export async function evaluate(options: EvaluateOptions): Promise<EvaluationOutcome> {
  const { samples } = options;
  const predictions = new Array<TaskPrediction | Error>(samples.length);
  let next = 0;
  let processed = 0;
  const worker = async () => {
    while (next < samples.length) {
      options.signal?.throwIfAborted();
      const index = next++;
      const sample = samples[index] as EvaluationSample;
      try {
        predictions[index] = await options.predict(sample);
      } catch (error) {
        predictions[index] = error instanceof Error ? error : new Error(String(error));
      }
      processed++;
      await options.onProgress?.(processed);
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, options.concurrency ?? 2) }, worker));
  return score(options.taskType, options.labels, samples, predictions);
}

function score(
  taskType: TaskType,
  labels: readonly string[],
  samples: readonly EvaluationSample[],
  predictions: readonly (TaskPrediction | Error)[],
): EvaluationOutcome {
  const results: ImageResult[] = [];
  const fail = (sample: EvaluationSample, error: Error) =>
    results.push({
      position: sample.position,
      correct: false,
      truth: sample.truth,
      predicted: { error: error.message },
    });
  switch (taskType) {
    case "categorization": {
      const pairs = samples.map((sample, i) => {
        const p = predictions[i];
        if (p instanceof Error || p?.type !== "categorization") {
          fail(sample, p instanceof Error ? p : new Error("the model gave no categorization"));
          return { truth: sample.truth as string, predicted: undefined };
        }
        const best = p.result.best_label;
        results.push({
          position: sample.position,
          correct: best.name === sample.truth,
          truth: sample.truth,
          predicted: { label: best.name, prob: best.prob },
        });
        return { truth: sample.truth as string, predicted: best.name };
      });
      return { metrics: categorizationMetrics(labels, pairs), results: byPosition(results) };
    }
    case "tagging": {
      const pairs = samples.map((sample, i) => {
        const p = predictions[i];
        const truth = sample.truth as readonly string[];
        if (p instanceof Error || p?.type !== "tagging") {
          fail(sample, p instanceof Error ? p : new Error("the model gave no tags"));
          return { truth, predicted: [] };
        }
        const predicted = p.result.labels.map((l) => l.name);
        const correct = predicted.length === truth.length && truth.every((t) => predicted.includes(t));
        results.push({ position: sample.position, correct, truth, predicted: { labels: predicted } });
        return { truth, predicted };
      });
      return { metrics: taggingMetrics(labels, pairs), results: byPosition(results) };
    }
    case "regression": {
      const pairs: { truth: number; predicted: number }[] = [];
      samples.forEach((sample, i) => {
        const p = predictions[i];
        const truth = sample.truth as number;
        if (p instanceof Error || p?.type !== "regression") {
          fail(sample, p instanceof Error ? p : new Error("the model gave no value"));
          return;
        }
        const correct = Math.abs(p.result - truth) <= REGRESSION_TOLERANCE * Math.max(1, Math.abs(truth));
        results.push({ position: sample.position, correct, truth, predicted: { value: p.result } });
        pairs.push({ truth, predicted: p.result });
      });
      return { metrics: regressionMetrics(pairs), results: byPosition(results) };
    }
    case "detection": {
      const pairs = samples.map((sample, i) => {
        const p = predictions[i];
        const truth = sample.truth as readonly TrueObject[];
        if (p instanceof Error || p?.type !== "detection") {
          fail(sample, p instanceof Error ? p : new Error("the model gave no detections"));
          return { truth, predicted: [] };
        }
        const predicted = p.result.map(toPredicted);
        const matches = matchDetections(truth, predicted, 0.5);
        const hits = matches.filter((m) => m.matched).length;
        results.push({
          position: sample.position,
          correct: hits === truth.length && hits === predicted.length,
          truth,
          predicted: { objects: predicted.map((o) => ({ name: o.name, prob: o.prob, box: o.box })) },
        });
        return { truth, predicted };
      });
      return { metrics: detectionMetrics(labels, pairs), results: byPosition(results) };
    }
  }
}

function toPredicted(o: DetectedObject) {
  return { name: o.name, prob: o.prob, box: o.bound_box };
}

function byPosition(results: ImageResult[]): ImageResult[] {
  return results.sort((a, b) => a.position - b.position);
}
