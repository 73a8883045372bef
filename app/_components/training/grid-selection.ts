/**
 * Which images of the training grid are chosen (no React: the grid and its tests share it). A click toggles
 * one image and makes it the anchor; a shift-click chooses every image from the anchor to it, in the order
 * the grid shows them, as file managers do.
 */

export interface GridSelection {
  readonly ids: ReadonlySet<string>;
  /** The image clicked last: where a shift-click's range starts. */
  readonly anchor: string | null;
}

export const NO_SELECTION: GridSelection = { ids: new Set(), anchor: null };

/** The selection after a click on `id`; `order` is the grid's images as shown. */
export function clickImage(
  selection: GridSelection,
  order: readonly string[],
  id: string,
  { shift }: { shift: boolean },
): GridSelection {
  const from = selection.anchor === null ? -1 : order.indexOf(selection.anchor);
  const to = order.indexOf(id);
  if (shift && from >= 0 && to >= 0) {
    const ids = new Set(selection.ids);
    const [start, end] = from <= to ? [from, to] : [to, from];
    for (const chosen of order.slice(start, end + 1)) ids.add(chosen);
    return { ids, anchor: id };
  }
  const ids = new Set(selection.ids);
  if (ids.has(id)) ids.delete(id);
  else ids.add(id);
  return { ids, anchor: id };
}

/** The selection with all of `ids` added (a page, or every image matching the filter). */
export function chooseAll(selection: GridSelection, ids: readonly string[]): GridSelection {
  return { ids: new Set([...selection.ids, ...ids]), anchor: selection.anchor };
}

/** The selection without images that are gone (deleted, moved to a test set). */
export function withoutImages(selection: GridSelection, gone: readonly string[]): GridSelection {
  const ids = new Set(selection.ids);
  for (const id of gone) ids.delete(id);
  return { ids, anchor: selection.anchor !== null && ids.has(selection.anchor) ? selection.anchor : null };
}
