/** The shapes shared by the dataset layouts: annotations, formats, problems. */
import type { TaskType } from "@vizflow/sdk";

/** A labelled box: `[xmin, ymin, xmax, ymax]` in image pixels. */
export interface TrainingBox {
  readonly label: string;
  readonly box: readonly [number, number, number, number];
}

/** What a person said an image shows, by task type. */
export type TrainingAnnotation =
  | { readonly kind: "category"; readonly label: string }
  /** `Negative` is a reserved tag meaning "none of the task's tags"; it never goes with another tag. */
  | { readonly kind: "tags"; readonly tags: readonly string[] }
  | { readonly kind: "value"; readonly value: number }
  | { readonly kind: "boxes"; readonly boxes: readonly TrainingBox[] };

export type DatasetFormat = "folders" | "csv" | "json" | "coco" | "voc" | "yolo";

/** The reserved tag that says an image shows none of a tagging task's labels. */
export const NEGATIVE_TAG = "Negative";

/**
 * One thing wrong with an upload. `message` says what and how to fix it, without the place; the place is
 * `file` plus `line` (CSV and YOLO lines, 1-based) or `field` (a JSON path such as `annotations[3].bbox`,
 * an XML path such as `object[1].bndbox.xmin`). `formatDatasetProblem` gives the whole sentence.
 */
export interface DatasetProblem {
  /** The file inside the upload ("" for a problem with the upload as a whole). */
  readonly file: string;
  readonly line?: number;
  readonly field?: string;
  readonly message: string;
}

export interface DatasetImage {
  /** Where the image is inside the upload (a zip's entry name, or a path in an uploaded folder). */
  readonly path: string;
  readonly width: number;
  readonly height: number;
}

export interface ReadDatasetInput {
  readonly taskType: TaskType;
  /** The task's labels. When empty, labels come from the data (and are all `newLabels`). */
  readonly labels: readonly string[];
  readonly images: readonly DatasetImage[];
  /** The text of the upload's small files (.csv .json .xml .txt .yaml .names) by path. */
  readonly manifests: ReadonlyMap<string, string>;
  /** Detected from the files when absent. */
  readonly format?: DatasetFormat;
}

export interface DatasetSample {
  readonly path: string;
  /** Null for an image the upload does not label (it comes in unlabelled). */
  readonly annotation: TrainingAnnotation | null;
}

export type ReadDatasetResult =
  | {
      readonly ok: true;
      readonly format: DatasetFormat;
      /** One per uploaded image, in the order of `images`. */
      readonly samples: DatasetSample[];
      /** The task's labels after the import: its own, then `newLabels`. */
      readonly labels: string[];
      /** Labels the data uses (or declares: COCO categories, YOLO classes) that the task lacks; only when the task has none. */
      readonly newLabels: string[];
    }
  | { readonly ok: false; readonly problems: DatasetProblem[] };

export interface WriteDatasetSample {
  /** The image's file name (no folders); made unique in the export where two are alike. */
  readonly fileName: string;
  readonly width: number;
  readonly height: number;
  readonly annotation: TrainingAnnotation | null;
}

export interface WriteDatasetInput {
  readonly taskType: TaskType;
  readonly format: DatasetFormat;
  readonly labels: readonly string[];
  readonly samples: readonly WriteDatasetSample[];
}

export interface DatasetExport {
  /** Where each sample's image goes in the exported zip, in the order of `samples`. */
  readonly images: { readonly fileName: string; readonly path: string }[];
  readonly manifests: { readonly path: string; readonly text: string }[];
}

const FORMATS: Record<TaskType, DatasetFormat[]> = {
  categorization: ["folders", "csv", "json"],
  tagging: ["csv", "json"],
  regression: ["csv", "json"],
  detection: ["coco", "voc", "yolo"],
};

/** The layouts a task type can be imported from and exported to; the first is the default. */
export function datasetFormatsFor(taskType: TaskType): DatasetFormat[] {
  return [...FORMATS[taskType]];
}

/** `labels/img7.txt line 2: a YOLO line has …`, `coco.json (annotations[3].bbox): …`. */
export function formatDatasetProblem(problem: DatasetProblem): string {
  const where =
    problem.line !== undefined ? ` line ${problem.line}` : problem.field !== undefined ? ` (${problem.field})` : "";
  return problem.file === "" ? problem.message : `${problem.file}${where}: ${problem.message}`;
}
