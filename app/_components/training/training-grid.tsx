import type { MouseEvent } from "react";
import { cn } from "../ui/cn";
import { annotationText } from "./training-format";
import type { TrainingAnnotation } from "../annotator/types";
import type { TrainingItem } from "./training-types";

const STATUS_TEXT = { unlabelled: "Unlabelled", labelled: "Labelled", verified: "Verified" } as const;

const STATUS_CLASSES = {
  unlabelled: "bg-muted text-muted-foreground",
  labelled: "bg-sky-100 text-sky-900",
  verified: "bg-emerald-100 text-emerald-900",
} as const;

/**
 * One page of the set as thumbnail tiles. A click chooses an image, a shift-click the range up to it; each
 * tile says its status, and a model's proposal is marked (dashed, "Proposed") until a person confirms it.
 */
export function TrainingGrid({
  items,
  selected,
  onClick,
}: {
  items: readonly TrainingItem[];
  selected: ReadonlySet<string>;
  onClick: (id: string, event: MouseEvent) => void;
}) {
  return (
    <ul className="grid grid-cols-[repeat(auto-fill,minmax(9.5rem,1fr))] gap-3" aria-label="Training images">
      {items.map((item) => (
        <li key={item.imageId}>
          <Tile item={item} selected={selected.has(item.imageId)} onClick={onClick} />
        </li>
      ))}
    </ul>
  );
}

function Tile({
  item,
  selected,
  onClick,
}: {
  item: TrainingItem;
  selected: boolean;
  onClick: (id: string, event: MouseEvent) => void;
}) {
  const annotation = item.annotation as TrainingAnnotation | null;
  return (
    <button
      type="button"
      aria-pressed={selected}
      aria-label={`${item.fileName}: ${item.proposed ? "proposed " : ""}${annotationText(annotation)}, ${STATUS_TEXT[item.status]}`}
      data-image={item.fileName}
      data-image-id={item.imageId}
      data-status={item.status}
      data-proposed={item.proposed ? "true" : undefined}
      onClick={(e) => onClick(item.imageId, e)}
      // Shift-click would otherwise select the page's text between the two tiles.
      onMouseDown={(e) => {
        if (e.shiftKey) e.preventDefault();
      }}
      className={cn(
        "group grid w-full overflow-hidden rounded-lg border bg-card text-left text-xs shadow-sm transition-shadow",
        "focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring",
        item.proposed && "border-dashed border-amber-500",
        selected ? "ring-2 ring-primary" : "hover:shadow-md",
      )}
    >
      <div className="relative aspect-square bg-muted">
        <img src={item.thumbnailUrl} alt="" loading="lazy" decoding="async" className="h-full w-full object-contain" />
        {annotation?.kind === "boxes" && annotation.boxes.length > 0 && (
          <svg
            viewBox={`0 0 ${item.width} ${item.height}`}
            preserveAspectRatio="xMidYMid meet"
            className="pointer-events-none absolute inset-0 h-full w-full"
            aria-hidden="true"
          >
            {annotation.boxes.slice(0, 100).map((b, i) => (
              <rect
                key={i}
                x={b.box[0]}
                y={b.box[1]}
                width={Math.max(0, b.box[2] - b.box[0])}
                height={Math.max(0, b.box[3] - b.box[1])}
                fill="none"
                stroke={item.proposed ? "#f59e0b" : "#0ea5e9"}
                strokeWidth={2}
                strokeDasharray={item.proposed ? "6 4" : undefined}
                vectorEffect="non-scaling-stroke"
              />
            ))}
          </svg>
        )}
        <span
          aria-hidden="true"
          className={cn(
            "absolute left-1.5 top-1.5 flex h-5 w-5 items-center justify-center rounded border bg-background/90 text-[11px]",
            selected ? "border-primary bg-primary text-primary-foreground" : "opacity-0 group-hover:opacity-100",
          )}
        >
          {selected ? "✓" : ""}
        </span>
        {item.proposed && (
          <span className="absolute right-1.5 top-1.5 rounded bg-amber-500 px-1.5 py-0.5 text-[10px] font-semibold text-white">
            Proposed
          </span>
        )}
      </div>
      <div className="grid gap-1 p-2">
        <span className="truncate font-medium" title={item.fileName}>
          {item.fileName}
        </span>
        <span className="flex items-center gap-1.5">
          <span className="min-w-0 flex-1 truncate text-muted-foreground" title={annotationText(annotation)}>
            {annotationText(annotation)}
          </span>
          <span className={cn("shrink-0 rounded px-1.5 py-0.5 text-[10px] font-medium", STATUS_CLASSES[item.status])}>
            {STATUS_TEXT[item.status]}
          </span>
        </span>
      </div>
    </button>
  );
}
