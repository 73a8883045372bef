"use client";

import { useId, useState, type KeyboardEvent } from "react";
import { controlClasses } from "../ui/input";
import { cn } from "../ui/cn";
import { filterLabels, moveActive, toggleLabel } from "./label-filter";

/** How many matches the list draws at once; typing narrows the rest. */
const SHOWN = 50;

export interface LabelPickerProps {
  id: string;
  /** What the picker is for, read by screen readers ("Branches"). */
  name: string;
  labels: readonly string[];
  selected: readonly string[];
  /** Named in the chip of a chosen label that the task does not have. */
  taskName: string;
  disabled: boolean;
  onChange: (next: string[]) => void;
}

/**
 * A searchable multi-select of a task's labels: chosen labels as removable chips, a box to type into,
 * and a list of matches picked by mouse or by arrows and Enter. Backspace in the empty box removes the
 * last chip. Draws at most 50 matches, so a task with thousands of labels stays fast.
 */
export function LabelPicker({ id, name, labels, selected, taskName, disabled, onChange }: LabelPickerProps) {
  const [query, setQuery] = useState("");
  const [open, setOpen] = useState(false);
  const [active, setActive] = useState(-1);
  const listId = useId();
  const known = new Set(labels);
  const chosen = new Set(selected);
  const matches = filterLabels(labels, query, SHOWN);
  const activeLabel = matches.shown[active];
  const pick = (label: string) => {
    onChange(toggleLabel(selected, label));
    setQuery("");
    setActive(-1);
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "ArrowDown" || event.key === "ArrowUp") {
      event.preventDefault();
      setOpen(true);
      setActive(moveActive(active, matches.shown.length, event.key === "ArrowDown" ? 1 : -1));
    } else if (event.key === "Enter") {
      // Enter never submits the settings form; it picks the active match, or the only one.
      event.preventDefault();
      const label = activeLabel ?? (matches.shown.length === 1 ? matches.shown[0] : undefined);
      if (label !== undefined) pick(label);
    } else if (event.key === "Escape" && open) {
      event.stopPropagation();
      setOpen(false);
      setActive(-1);
    } else if (event.key === "Backspace" && query === "" && selected.length > 0) {
      onChange(selected.slice(0, -1));
    }
  };
  return (
    <div className="grid gap-1.5" data-label-picker={name}>
      {selected.length > 0 && (
        <ul className="flex flex-wrap gap-1" aria-label={`Chosen ${name.toLowerCase()}`}>
          {selected.map((label) => (
            <li
              key={label}
              className={cn(
                "flex max-w-full items-center gap-1 rounded border py-0.5 pl-2 pr-0.5 text-xs",
                known.has(label) ? "bg-secondary" : "border-destructive text-destructive",
              )}
              data-chip={label}
            >
              <span className="min-w-0 break-words">
                {label}
                {!known.has(label) && ` (not a label of ${taskName})`}
              </span>
              <button
                type="button"
                className="rounded px-1 leading-none hover:bg-background disabled:opacity-50"
                aria-label={`Remove ${label}`}
                title={`Remove ${label}`}
                disabled={disabled}
                onClick={() => onChange(selected.filter((l) => l !== label))}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <input
        id={id}
        type="text"
        role="combobox"
        aria-label={`Search ${name.toLowerCase()} to add`}
        aria-expanded={open}
        aria-controls={listId}
        aria-autocomplete="list"
        aria-activedescendant={activeLabel === undefined ? undefined : `${listId}-${active}`}
        autoComplete="off"
        className={controlClasses}
        placeholder={`Type to find one of ${labels.length} labels…`}
        value={query}
        disabled={disabled}
        onChange={(e) => {
          setQuery(e.target.value);
          setOpen(true);
          setActive(e.target.value.trim() === "" ? -1 : 0);
        }}
        onFocus={() => setOpen(true)}
        onBlur={() => {
          setOpen(false);
          setActive(-1);
        }}
        onKeyDown={onKeyDown}
      />
      {open && (
        <div className="rounded-md border bg-background shadow-sm">
          <ul
            id={listId}
            role="listbox"
            aria-multiselectable="true"
            aria-label={name}
            className="max-h-56 overflow-y-auto py-1"
          >
            {matches.shown.map((label, i) => (
              <li
                key={label}
                id={`${listId}-${i}`}
                role="option"
                aria-selected={chosen.has(label)}
                className={cn(
                  "flex cursor-pointer items-start gap-2 px-2 py-1 text-xs",
                  i === active && "bg-accent",
                  chosen.has(label) && "font-medium",
                )}
                // Keeps the focus in the box, so the list stays open for the next pick.
                onMouseDown={(e) => e.preventDefault()}
                onMouseEnter={() => setActive(i)}
                onClick={() => pick(label)}
              >
                <span aria-hidden="true" className="w-3 shrink-0">
                  {chosen.has(label) ? "✓" : ""}
                </span>
                <span className="min-w-0 break-words">{label}</span>
              </li>
            ))}
            {matches.total === 0 && (
              <li className="px-2 py-1 text-xs text-muted-foreground">No label matches “{query.trim()}”.</li>
            )}
          </ul>
          {matches.total > matches.shown.length && (
            <p className="border-t px-2 py-1 text-[11px] text-muted-foreground">
              {matches.total - matches.shown.length} more; type to narrow.
            </p>
          )}
        </div>
      )}
    </div>
  );
}
