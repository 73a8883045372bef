/**
 * Addresses of a task's pages and of its training set's tools (no React: the tabs, the grid's toolbar and
 * their tests share them). The annotate and review pages read the same parameters back.
 */
import { filterParams, type TrainingFilter } from "./training-format";

export type TaskTab = "models" | "data";

/** The tab a task page's `?tab=` asks for; the models tab unless it says `data`. */
export function tabOfParams(params: { get(name: string): string | null }): TaskTab {
  return params.get("tab") === "data" ? "data" : "models";
}

/** Most images an "Annotate selected" link names: a longer address would pass servers' header limits. */
export const MAX_LINKED_IMAGES = 300;

export function taskHref(workspaceId: string, taskId: string, tab: TaskTab = "models", filter: TrainingFilter = {}) {
  const base = `/w/${workspaceId}/tasks/${taskId}`;
  if (tab === "models") return base;
  const params = new URLSearchParams({ tab: "data" });
  for (const [key, value] of filterParams(filter)) params.set(key, value);
  return `${base}?${params.toString()}`;
}

/** What the annotator opens on: chosen images, the member's queue, or every image matching a filter. */
export type AnnotateTarget =
  { readonly items: readonly string[] } | { readonly queue: "mine" } | { readonly filter: TrainingFilter };

export function annotateHref(
  workspaceId: string,
  taskId: string,
  target: AnnotateTarget,
  { preannotate = false }: { preannotate?: boolean } = {},
): string {
  let params: URLSearchParams;
  if ("items" in target) {
    if (target.items.length === 0) throw new Error("An annotate link needs at least one image.");
    if (target.items.length > MAX_LINKED_IMAGES) {
      throw new Error(`An annotate link names at most ${MAX_LINKED_IMAGES} images (${target.items.length} given).`);
    }
    // Ids are uuids: the comma stays readable, nothing needs escaping.
    params = new URLSearchParams();
    params.set("items", target.items.join(","));
  } else if ("queue" in target) {
    params = new URLSearchParams({ queue: target.queue });
  } else {
    params = filterParams(target.filter);
  }
  if (preannotate) params.set("preannotate", "1");
  const query = params.toString().replaceAll("%2C", ",");
  return `/w/${workspaceId}/tasks/${taskId}/annotate${query === "" ? "" : `?${query}`}`;
}

export function reviewHref(workspaceId: string, taskId: string): string {
  return `/w/${workspaceId}/tasks/${taskId}/review`;
}

/** The export route's address for a layout (the browser downloads the zip it streams). */
export function exportHref(workspaceId: string, taskId: string, format: string): string {
  return `/api/workspaces/${workspaceId}/tasks/${taskId}/training-images/export?format=${encodeURIComponent(format)}`;
}
