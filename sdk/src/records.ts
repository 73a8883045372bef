/** What flows through a graph: records, objects, predictions. Pure data. */

/** `[xmin, ymin, xmax, ymax]` in pixels of the original (root) image. */
export type BoundingBox = [number, number, number, number];

export interface LabelProb {
  name: string;
  prob: number;
}

/** An object found in an image (by a detection task or a service), possibly with fields of its own. */
export interface DetectedObject {
  name: string;
  prob: number;
  bound_box: BoundingBox;
  /** Fields written by actions that ran on this object's crop. */
  [field: string]: unknown;
}

export interface CategorizationResult {
  best_label: LabelProb;
  labels: LabelProb[];
}

export interface TaggingResult {
  labels: LabelProb[];
}

/** What running a workspace task on one scope gives back, by task type. */
export type TaskPrediction =
  | { type: "categorization"; result: CategorizationResult }
  | { type: "tagging"; result: TaggingResult }
  | { type: "regression"; result: number }
  | {
      type: "detection";
      result: DetectedObject[];
      /** Objects the decoder found but left out because of its cap (`maxDetections`); absent when none were. */
      dropped?: number;
    };

export type TaskType = TaskPrediction["type"];

export const TASK_TYPES: readonly TaskType[] = ["categorization", "tagging", "regression", "detection"];

/** Per-record status in responses, HTTP-like codes (200 ok, 4xx bad record, 5xx engine fault). */
export interface RecordStatus {
  code: number;
  text: string;
}
