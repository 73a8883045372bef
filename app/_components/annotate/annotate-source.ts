/**
 * Which images the annotate page works through, read from its URL (no React: shared by the page and
 * its tests). The grid links here with `?items=`, with its filter, or with nothing (all images).
 */
import { filterOfParams, type TrainingFilter } from "../training/training-format";
import { annotateHref as taskAnnotateHref } from "../training/task-routes";
import type { AnnotatorImage, TrainingAnnotation } from "../annotator/types";

export type AnnotateSource =
  { kind: "items"; imageIds: string[] } | { kind: "queue" } | { kind: "filter"; filter: TrainingFilter };

/** Most images one `?items=` list may name (the server's limit for one `get`). */
export const MAX_ITEMS = 10_000;

export function sourceOfParams(params: { get(name: string): string | null }): AnnotateSource {
  const items = params.get("items");
  if (items !== null && items.trim() !== "") {
    const ids = [
      ...new Set(
        items
          .split(",")
          .map((id) => id.trim())
          .filter(Boolean),
      ),
    ];
    return { kind: "items", imageIds: ids.slice(0, MAX_ITEMS) };
  }
  if (params.get("queue") === "mine") return { kind: "queue" };
  return { kind: "filter", filter: filterOfParams(params) };
}

/** The annotate page's address for a source (one link format: the grid's `annotateHref` builds it). */
export function annotateHref(workspaceId: string, taskId: string, source: AnnotateSource): string {
  return taskAnnotateHref(
    workspaceId,
    taskId,
    source.kind === "items"
      ? { items: source.imageIds }
      : source.kind === "queue"
        ? { queue: "mine" }
        : { filter: source.filter },
  );
}

/** What the page says it is working through, e.g. "My queue" or "Unlabelled images with “cat”". */
export function sourceTitle(source: AnnotateSource): string {
  if (source.kind === "queue") return "My queue";
  if (source.kind === "items") {
    return `${source.imageIds.length} chosen ${source.imageIds.length === 1 ? "image" : "images"}`;
  }
  const { label, status, proposed, search } = source.filter;
  const parts: string[] = [];
  parts.push(status === undefined ? "All images" : `${status[0]?.toUpperCase()}${status.slice(1)} images`);
  if (label !== undefined) parts.push(`with “${label}”`);
  if (proposed === true) parts.push("proposed by a model");
  if (proposed === false) parts.push("not proposed by a model");
  if (search !== undefined) parts.push(`named like “${search}”`);
  return parts.join(" ");
}

/** A training item as the server lists it (the fields the annotator needs). */
export interface ListedItem {
  imageId: string;
  fileName: string;
  imageUrl: string;
  width: number;
  height: number;
  annotation?: unknown;
  proposed: boolean;
  status: "unlabelled" | "labelled" | "verified";
  confirmedBy: readonly string[];
}

/** The items in the order asked for (`?items=` order; ids the server no longer has are left out). */
export function inRequestedOrder<T extends { imageId: string }>(items: readonly T[], ids: readonly string[]): T[] {
  const byId = new Map(items.map((i) => [i.imageId, i]));
  return ids.map((id) => byId.get(id)).filter((i): i is T => i !== undefined);
}

/**
 * The annotator's image for an item; `edit` (what this page last sent for it and the server has not
 * answered yet) is shown in place of the server's annotation, so a slow save never flickers back.
 */
export function annotatorImage(item: ListedItem, edit?: { annotation: TrainingAnnotation | null }): AnnotatorImage {
  return {
    id: item.imageId,
    fileName: item.fileName,
    url: item.imageUrl,
    width: item.width,
    height: item.height,
    annotation: edit !== undefined ? edit.annotation : ((item.annotation ?? null) as TrainingAnnotation | null),
    proposed: edit !== undefined ? false : item.proposed,
    status: item.status,
  };
}
