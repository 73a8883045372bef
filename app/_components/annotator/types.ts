/**
 * What a person says about one training image, per task type. Mirrors @vizflow/flow-engine's
 * `TrainingAnnotation` (the import switches to it once that lands): boxes are `[xmin, ymin, xmax, ymax]`
 * in the image's own pixels.
 */
export type TrainingAnnotation =
  | { kind: "category"; label: string }
  | { kind: "tags"; tags: string[] }
  | { kind: "value"; value: number }
  | { kind: "boxes"; boxes: LabelledBox[] };

export type Box = [number, number, number, number];

export interface LabelledBox {
  label: string;
  box: Box;
}

export type AnnotatorTaskType = "categorization" | "tagging" | "regression" | "detection";

export interface AnnotatorImage {
  id: string;
  fileName: string;
  url: string;
  /** The image's size in pixels: the coordinates boxes are in. */
  width: number;
  height: number;
  annotation: TrainingAnnotation | null;
  /** A model's proposal: shown marked until a person accepts, edits or rejects it. */
  proposed?: boolean;
  status?: "unlabelled" | "labelled" | "verified";
}

export interface AnnotatorProps {
  taskType: AnnotatorTaskType;
  labels: string[];
  images: AnnotatorImage[];
  index: number;
  onIndexChange(index: number): void;
  /**
   * Every edit, once (a drag reports when the mouse is let go, not per frame). The annotator shows its
   * edit at once and keeps showing it until `images` catches up, so a slow save does not flicker.
   */
  onChange(imageId: string, annotation: TrainingAnnotation | null): void;
  /** Enter: the person checked this image's annotation. */
  onConfirm?(imageId: string): void;
  /** A: the proposal is taken as it is. Without it, accepting reports the proposal through `onChange`. */
  onAcceptProposal?(imageId: string): void;
  /** X: the proposal is thrown away (the image shows no annotation). Without it: `onChange(id, null)`. */
  onRejectProposal?(imageId: string): void;
  /** Look, zoom and move between images; nothing changes. */
  readOnly?: boolean;
  /** The stage's height (CSS); the default fills most of the window. */
  height?: string;
}
