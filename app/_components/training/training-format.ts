/** How the training pages name layouts and annotations (no React: shared by the grid and its tests). */
import type { TrainingAnnotation } from "../annotator/types";

export type TaskTypeName = "categorization" | "tagging" | "regression" | "detection";

/** The layouts each task type imports and exports (the server's `datasetFormatsFor`); the first is the default. */
export const FORMATS_BY_TYPE: Record<TaskTypeName, readonly { id: string; title: string }[]> = {
  categorization: [
    { id: "folders", title: "A folder per label" },
    { id: "csv", title: "CSV list" },
    { id: "json", title: "JSON list" },
  ],
  tagging: [
    { id: "csv", title: "CSV list" },
    { id: "json", title: "JSON list" },
  ],
  regression: [
    { id: "csv", title: "CSV list" },
    { id: "json", title: "JSON list" },
  ],
  detection: [
    { id: "coco", title: "COCO JSON" },
    { id: "voc", title: "Pascal VOC XML" },
    { id: "yolo", title: "YOLO txt" },
  ],
};

/** One short line for a grid tile: the label, the tags, the value or how many boxes. */
export function annotationText(annotation: TrainingAnnotation | null): string {
  if (annotation === null) return "Unlabelled";
  switch (annotation.kind) {
    case "category":
      return annotation.label;
    case "tags":
      return annotation.tags.length === 0 ? "No tags" : annotation.tags.join(", ");
    case "value":
      return String(annotation.value);
    case "boxes":
      return `${annotation.boxes.length} ${annotation.boxes.length === 1 ? "box" : "boxes"}`;
  }
}

/** The filters of the grid and of the annotator opened from it. */
export interface TrainingFilter {
  label?: string;
  status?: "unlabelled" | "labelled" | "verified";
  proposed?: boolean;
  search?: string;
}

/** The filter as URL search parameters (the annotate page reads them back with `filterOfParams`). */
export function filterParams(filter: TrainingFilter): URLSearchParams {
  const params = new URLSearchParams();
  if (filter.label !== undefined) params.set("label", filter.label);
  if (filter.status !== undefined) params.set("status", filter.status);
  if (filter.proposed !== undefined) params.set("proposed", String(filter.proposed));
  if (filter.search !== undefined && filter.search !== "") params.set("search", filter.search);
  return params;
}

export function filterOfParams(params: { get(name: string): string | null }): TrainingFilter {
  const filter: TrainingFilter = {};
  const label = params.get("label");
  if (label !== null && label !== "") filter.label = label;
  const status = params.get("status");
  if (status === "unlabelled" || status === "labelled" || status === "verified") filter.status = status;
  const proposed = params.get("proposed");
  if (proposed === "true" || proposed === "false") filter.proposed = proposed === "true";
  const search = params.get("search");
  if (search !== null && search !== "") filter.search = search;
  return filter;
}
