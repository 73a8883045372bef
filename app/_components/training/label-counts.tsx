import { Badge } from "../ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { cn } from "../ui/cn";
import type { TrainingFilter } from "./training-format";
import type { TrainingCounts, TrainingTask } from "./training-types";

const UNIT: Record<TrainingTask["type"], string> = {
  categorization: "images",
  tagging: "images",
  regression: "images with a value",
  detection: "boxes",
};

/**
 * How much data the set has: by status, per label (a click filters the grid by it), and what training still
 * lacks, with how many each label needs (the server's minimum, `counts.minimum`).
 */
export function LabelCounts({
  task,
  counts,
  filter,
  onFilter,
}: {
  task: TrainingTask;
  counts: TrainingCounts | undefined;
  filter: TrainingFilter;
  onFilter: (filter: TrainingFilter) => void;
}) {
  const perLabel = counts?.perLabel ?? [];
  return (
    <Card data-training-counts>
      <CardHeader>
        <CardTitle>Training set</CardTitle>
        <CardDescription>
          {counts === undefined
            ? "Counting…"
            : `${counts.total} image${counts.total === 1 ? "" : "s"} · ${counts.byStatus.unlabelled} unlabelled · ${counts.byStatus.labelled} labelled · ${counts.byStatus.verified} verified${counts.proposed > 0 ? ` · ${counts.proposed} proposed by a model` : ""}`}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {counts !== undefined && counts.warnings.length > 0 && (
          <div
            role="alert"
            data-training-warnings
            className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900"
          >
            <p className="font-medium">Not enough data to train yet</p>
            <ul className="mt-1 list-disc pl-5">
              {counts.warnings.slice(0, 8).map((w) => (
                <li key={w}>{w}</li>
              ))}
            </ul>
            {counts.warnings.length > 8 && <p className="mt-1">and {counts.warnings.length - 8} more labels.</p>}
          </div>
        )}
        {task.type !== "regression" && (
          <div className="grid gap-1 text-sm">
            <p className="text-xs text-muted-foreground">
              {UNIT[task.type]} per label{counts !== undefined ? ` (training needs ${counts.minimum})` : ""}
            </p>
            {perLabel.length === 0 ? (
              <p className="text-muted-foreground">No labels yet: import labelled images or add labels.</p>
            ) : (
              <ul className="grid max-h-64 gap-1 overflow-y-auto pr-1" aria-label="Counts per label">
                {perLabel.map((c) => {
                  const have = task.type === "detection" ? c.boxes : c.images;
                  const active = filter.label === c.label;
                  return (
                    <li key={c.label} data-label-count={c.label}>
                      <button
                        type="button"
                        onClick={() =>
                          onFilter(active ? { ...filter, label: undefined } : { ...filter, label: c.label })
                        }
                        aria-pressed={active}
                        title={c.warning ?? undefined}
                        className={cn(
                          "flex w-full items-center gap-2 rounded-md px-2 py-1 text-left hover:bg-accent",
                          active && "bg-accent",
                        )}
                      >
                        <span className="min-w-0 flex-1 truncate">{c.label}</span>
                        {task.type === "detection" && (
                          <span className="text-xs text-muted-foreground">
                            {c.images} image{c.images === 1 ? "" : "s"}
                          </span>
                        )}
                        <Badge
                          data-count={have}
                          className={cn(c.warning !== null && "border-amber-300 bg-amber-50 text-amber-900")}
                        >
                          {have}
                          {c.warning !== null && counts !== undefined ? ` / ${counts.minimum}` : ""}
                        </Badge>
                      </button>
                    </li>
                  );
                })}
              </ul>
            )}
          </div>
        )}
      </CardContent>
    </Card>
  );
}
