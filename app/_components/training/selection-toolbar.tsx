import Link from "next/link";
import type { ReactNode } from "react";
import { Button, buttonClasses } from "../ui/button";
import { annotateHref, MAX_LINKED_IMAGES } from "./task-routes";
import type { TrainingFilter } from "./training-format";

/**
 * Above the grid: what is chosen, ways to choose more (this page, every image matching the filter), and
 * where to take them: the annotator (chosen images, with pre-annotation, or the whole filter) and, for
 * editors, the bulk actions (`children`).
 */
export function SelectionToolbar({
  workspaceId,
  taskId,
  filter,
  selected,
  canEdit,
  choosingAll,
  onChoosePage,
  onChooseAll,
  onClear,
  children,
}: {
  workspaceId: string;
  taskId: string;
  filter: TrainingFilter;
  selected: readonly string[];
  canEdit: boolean;
  /** How many images "choose all matching" has gathered so far, while it runs. */
  choosingAll: number | null;
  onChoosePage: () => void;
  onChooseAll: () => void;
  onClear: () => void;
  children?: ReactNode;
}) {
  const count = selected.length;
  const linkable = count > 0 && count <= MAX_LINKED_IMAGES;
  return (
    <div className="grid gap-2 rounded-lg border bg-muted/40 p-2" data-selection-toolbar>
      <div className="flex flex-wrap items-center gap-2 text-sm">
        <span className="px-1 font-medium" data-selected-count={count}>
          {count === 0 ? "No image chosen" : `${count} image${count === 1 ? "" : "s"} chosen`}
        </span>
        <Button size="sm" variant="ghost" onClick={onChoosePage}>
          Choose this page
        </Button>
        <Button size="sm" variant="ghost" pending={choosingAll !== null} onClick={onChooseAll}>
          {choosingAll !== null ? `Choosing… ${choosingAll}` : "Choose all matching"}
        </Button>
        {count > 0 && (
          <Button size="sm" variant="ghost" onClick={onClear}>
            Clear
          </Button>
        )}
        <span className="flex-1" />
        <Link
          href={annotateHref(workspaceId, taskId, { filter })}
          className={buttonClasses(count > 0 ? "outline" : "primary", "sm")}
          title="Opens the annotator on every image matching the filter"
        >
          {Object.values(filter).some((v) => v !== undefined) ? "Annotate matching" : "Annotate all"}
        </Link>
      </div>
      {count > MAX_LINKED_IMAGES && (
        <p className="px-1 text-xs text-muted-foreground">
          The annotator opens at most {MAX_LINKED_IMAGES} chosen images; &quot;Annotate matching&quot; opens every image
          matching the filter.
        </p>
      )}
      {(count > 0 || canEdit) && (
        // Empty (nothing chosen, no result to report) it hides; the bulk result outlives the selection it changed.
        <div className="flex flex-wrap items-center gap-2 border-t pt-2 empty:hidden">
          {linkable && (
            <Link
              href={annotateHref(workspaceId, taskId, { items: selected })}
              className={buttonClasses("primary", "sm")}
            >
              Annotate selected
            </Link>
          )}
          {canEdit && linkable && (
            <Link
              href={annotateHref(workspaceId, taskId, { items: selected }, { preannotate: true })}
              className={buttonClasses("outline", "sm")}
            >
              Pre-annotate selected
            </Link>
          )}
          {canEdit && children}
        </div>
      )}
    </div>
  );
}
