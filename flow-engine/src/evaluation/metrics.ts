/**
 * Evaluation metrics of a model version on a labelled test set, per task type. Pure functions over
 * ground truth and predictions: no images, no models, so the app, the engine or a worker can run them.
 */
import type { BoundingBox } from "@vizflow/sdk";
import { iou } from "../runtime/decoders/nms.js";

/** Precision and recall of one label; undefined where the denominator is zero. */
export interface LabelMetrics {
  readonly label: string;
  /** Test images (or objects) whose truth has this label. */
  readonly support: number;
  readonly truePositives: number;
  readonly falsePositives: number;
  readonly falseNegatives: number;
  readonly precision: number | undefined;
  readonly recall: number | undefined;
}

export interface CategorizationMetrics {
  readonly type: "categorization";
  readonly count: number;
  /** Share of images whose best label is the true label. */
  readonly accuracy: number | undefined;
  readonly labels: readonly LabelMetrics[];
  /**
   * `matrix[t][p]`: images of true label `labels[t]` predicted as `columns[p]`. The columns are the labels,
   * plus one last column for predictions outside the task's labels (or none at all).
   */
  readonly confusion: { readonly labels: readonly string[]; readonly matrix: readonly (readonly number[])[] };
}

export interface TaggingMetrics {
  readonly type: "tagging";
  readonly count: number;
  /** Share of images whose predicted label set equals the true one. */
  readonly exactMatch: number | undefined;
  /** Over every (image, label) decision. */
  readonly microPrecision: number | undefined;
  readonly microRecall: number | undefined;
  readonly labels: readonly LabelMetrics[];
}

export interface RegressionMetrics {
  readonly type: "regression";
  readonly count: number;
  readonly mae: number | undefined;
  readonly rmse: number | undefined;
}

export interface DetectionLabelMetrics {
  readonly label: string;
  /** True objects of this label in the test set. */
  readonly support: number;
  /** Undefined for a label with no true objects (left out of the means, as COCO does). */
  readonly ap50: number | undefined;
  readonly ap50to95: number | undefined;
  /** At IoU 0.5, over every prediction kept by the decoder. */
  readonly precision: number | undefined;
  readonly recall: number | undefined;
}

export interface DetectionMetrics {
  readonly type: "detection";
  readonly count: number;
  /** Mean AP over labels with true objects, at IoU 0.5. */
  readonly map50: number | undefined;
  /** Mean over IoU 0.50, 0.55, …, 0.95 of the mean AP (COCO's mAP). */
  readonly map50to95: number | undefined;
  readonly labels: readonly DetectionLabelMetrics[];
}

export type EvaluationMetrics = CategorizationMetrics | TaggingMetrics | RegressionMetrics | DetectionMetrics;

const OTHER = "(other)";

function ratio(numerator: number, denominator: number): number | undefined {
  return denominator === 0 ? undefined : numerator / denominator;
}

function labelMetrics(label: string, tp: number, fp: number, fn: number): LabelMetrics {
  return {
    label,
    support: tp + fn,
    truePositives: tp,
    falsePositives: fp,
    falseNegatives: fn,
    precision: ratio(tp, tp + fp),
    recall: ratio(tp, tp + fn),
  };
}

/** Accuracy, per-label precision and recall, and the confusion matrix of single-label predictions. */
export function categorizationMetrics(
  labels: readonly string[],
  samples: readonly { readonly truth: string; readonly predicted: string | undefined }[],
): CategorizationMetrics {
  const index = new Map(labels.map((l, i) => [l, i]));
  const columns = labels.length + 1;
  const matrix = labels.map(() => new Array<number>(columns).fill(0));
  let correct = 0;
  for (const { truth, predicted } of samples) {
    const t = index.get(truth);
    if (t === undefined) throw new Error(`the true label "${truth}" is not one of the task's labels`);
    const p = predicted === undefined ? labels.length : (index.get(predicted) ?? labels.length);
    (matrix[t] as number[])[p] = ((matrix[t] as number[])[p] as number) + 1;
    if (truth === predicted) correct++;
  }
  const perLabel = labels.map((label, i) => {
    const tp = (matrix[i] as number[])[i] as number;
    const fn = (matrix[i] as number[]).reduce((sum, n) => sum + n, 0) - tp;
    const fp = matrix.reduce((sum, row, t) => (t === i ? sum : sum + (row[i] as number)), 0);
    return labelMetrics(label, tp, fp, fn);
  });
  return {
    type: "categorization",
    count: samples.length,
    accuracy: ratio(correct, samples.length),
    labels: perLabel,
    confusion: { labels: [...labels, OTHER], matrix },
  };
}

/** Per-label and micro-averaged precision and recall of label sets, and the exact-match rate. */
export function taggingMetrics(
  labels: readonly string[],
  samples: readonly { readonly truth: readonly string[]; readonly predicted: readonly string[] }[],
): TaggingMetrics {
  const counts = new Map(labels.map((l) => [l, { tp: 0, fp: 0, fn: 0 }]));
  let exact = 0;
  for (const { truth, predicted } of samples) {
    const t = new Set(truth);
    const p = new Set(predicted.filter((l) => counts.has(l)));
    for (const label of t)
      if (!counts.has(label)) throw new Error(`the true label "${label}" is not one of the task's labels`);
    if (t.size === p.size && [...t].every((l) => p.has(l))) exact++;
    for (const [label, c] of counts) {
      if (t.has(label) && p.has(label)) c.tp++;
      else if (p.has(label)) c.fp++;
      else if (t.has(label)) c.fn++;
    }
  }
  const perLabel = labels.map((label) => {
    const c = counts.get(label) as { tp: number; fp: number; fn: number };
    return labelMetrics(label, c.tp, c.fp, c.fn);
  });
  const sum = (key: "truePositives" | "falsePositives" | "falseNegatives") =>
    perLabel.reduce((total, m) => total + m[key], 0);
  return {
    type: "tagging",
    count: samples.length,
    exactMatch: ratio(exact, samples.length),
    microPrecision: ratio(sum("truePositives"), sum("truePositives") + sum("falsePositives")),
    microRecall: ratio(sum("truePositives"), sum("truePositives") + sum("falseNegatives")),
    labels: perLabel,
  };
}

/** Mean absolute error and root mean squared error. */
export function regressionMetrics(
  samples: readonly { readonly truth: number; readonly predicted: number }[],
): RegressionMetrics {
  let absolute = 0;
  let squared = 0;
  for (const { truth, predicted } of samples) {
    absolute += Math.abs(predicted - truth);
    squared += (predicted - truth) ** 2;
  }
  const n = samples.length;
  return {
    type: "regression",
    count: n,
    mae: n === 0 ? undefined : absolute / n,
    rmse: n === 0 ? undefined : Math.sqrt(squared / n),
  };
}

export interface TrueObject {
  readonly name: string;
  readonly box: BoundingBox;
}

export interface PredictedObject extends TrueObject {
  readonly prob: number;
}

export interface DetectionSample {
  readonly truth: readonly TrueObject[];
  readonly predicted: readonly PredictedObject[];
}

/** IoU thresholds of COCO's mAP: 0.50, 0.55, …, 0.95. */
export const COCO_IOU_THRESHOLDS: readonly number[] = Array.from({ length: 10 }, (_, i) => 0.5 + i * 0.05);

/**
 * Which predictions of one image are true positives at `threshold`, COCO style: best first, each takes the
 * unmatched true object of its label with the highest IoU at or above the threshold.
 */
export function matchDetections(
  truth: readonly TrueObject[],
  predicted: readonly PredictedObject[],
  threshold: number,
): { readonly prediction: PredictedObject; readonly matched: boolean }[] {
  const taken = new Array<boolean>(truth.length).fill(false);
  const order = [...predicted].sort((a, b) => b.prob - a.prob);
  return order.map((prediction) => {
    let best = -1;
    let bestIou = threshold;
    truth.forEach((t, i) => {
      if (taken[i] === true || t.name !== prediction.name) return;
      const overlap = iou(t.box, prediction.box);
      if (overlap >= bestIou) {
        best = i;
        bestIou = overlap;
      }
    });
    if (best >= 0) taken[best] = true;
    return { prediction, matched: best >= 0 };
  });
}

/**
 * Average precision from scored hits, COCO's 101-point interpolation: precision made non-increasing in
 * recall, then averaged at recall 0, 0.01, …, 1.
 */
export function averagePrecision(
  hits: readonly { readonly prob: number; readonly matched: boolean }[],
  positives: number,
): number {
  if (positives === 0) return 0;
  const sorted = [...hits].sort((a, b) => b.prob - a.prob);
  const recall: number[] = [];
  const precision: number[] = [];
  let tp = 0;
  sorted.forEach((hit, i) => {
    if (hit.matched) tp++;
    recall.push(tp / positives);
    precision.push(tp / (i + 1));
  });
  for (let i = precision.length - 2; i >= 0; i--) {
    precision[i] = Math.max(precision[i] as number, precision[i + 1] as number);
  }
  let sum = 0;
  let k = 0;
  for (let r = 0; r <= 100; r++) {
    const target = r / 100;
    // Recall values are computed as tp / positives; compare with a little slack for float rounding.
    while (k < recall.length && (recall[k] as number) < target - 1e-12) k++;
    sum += k < precision.length ? (precision[k] as number) : 0;
  }
  return sum / 101;
}

/** AP per label at IoU 0.5 and 0.5:0.95, mAP@0.5 and mAP@0.5:0.95, and precision/recall at IoU 0.5. */
export function detectionMetrics(labels: readonly string[], samples: readonly DetectionSample[]): DetectionMetrics {
  const known = new Set(labels);
  for (const sample of samples) {
    for (const t of sample.truth) {
      if (!known.has(t.name)) throw new Error(`the true object label "${t.name}" is not one of the task's labels`);
    }
  }
  const support = new Map(labels.map((l) => [l, 0]));
  for (const s of samples) for (const t of s.truth) support.set(t.name, (support.get(t.name) as number) + 1);

  const apAt = new Map<number, Map<string, number>>();
  const atHalf = new Map(labels.map((l) => [l, { tp: 0, fp: 0 }]));
  for (const threshold of COCO_IOU_THRESHOLDS) {
    const hits = new Map<string, { prob: number; matched: boolean }[]>(labels.map((l) => [l, []]));
    for (const sample of samples) {
      for (const { prediction, matched } of matchDetections(sample.truth, sample.predicted, threshold)) {
        hits.get(prediction.name)?.push({ prob: prediction.prob, matched });
        if (threshold === 0.5) {
          const c = atHalf.get(prediction.name);
          if (c) {
            if (matched) c.tp++;
            else c.fp++;
          }
        }
      }
    }
    const aps = new Map<string, number>();
    for (const label of labels) {
      const positives = support.get(label) as number;
      if (positives > 0) aps.set(label, averagePrecision(hits.get(label) ?? [], positives));
    }
    apAt.set(threshold, aps);
  }

  const mean = (values: readonly number[]) =>
    values.length === 0 ? undefined : values.reduce((a, b) => a + b, 0) / values.length;
  const perLabel = labels.map((label): DetectionLabelMetrics => {
    const positives = support.get(label) as number;
    const c = atHalf.get(label) as { tp: number; fp: number };
    const ap50 = apAt.get(0.5)?.get(label);
    const ap50to95 =
      positives === 0 ? undefined : mean(COCO_IOU_THRESHOLDS.map((t) => apAt.get(t)?.get(label) as number));
    return {
      label,
      support: positives,
      ap50,
      ap50to95,
      precision: ratio(c.tp, c.tp + c.fp),
      recall: ratio(c.tp, positives),
    };
  });
  const maps = COCO_IOU_THRESHOLDS.map((t) => mean([...(apAt.get(t)?.values() ?? [])]));
  return {
    type: "detection",
    count: samples.length,
    map50: maps[0],
    map50to95: maps.some((m) => m === undefined) ? undefined : mean(maps as number[]),
    labels: perLabel,
  };
}
