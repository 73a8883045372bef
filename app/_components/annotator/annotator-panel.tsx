"use client";

import { memo, useEffect, useRef, useState, type KeyboardEvent, type RefObject } from "react";
import { cn } from "../ui/cn";
import { keyLabels, NEGATIVE } from "./annotator-state";
import { shortcutsFor } from "./annotator-keys";
import { labelColour } from "./annotator-stage";
import type { AnnotatorTaskType, TrainingAnnotation } from "./types";

/** Buttons here never take the focus, so Space and Enter stay the annotator's keys. */
const keepFocus = (event: { preventDefault(): void }) => event.preventDefault();

/** The labels with their number keys; the picked ones are highlighted. Clicking one is pressing its key. */
export function LabelPicker({
  taskType,
  labels,
  annotation,
  selectedLabel,
  nextLabel,
  readOnly,
  onPick,
  onNegative,
}: {
  taskType: AnnotatorTaskType;
  labels: readonly string[];
  annotation: TrainingAnnotation | null;
  /** Detection: the selected box's label. */
  selectedLabel: string | undefined;
  nextLabel: string | null;
  readOnly: boolean;
  onPick: (label: string) => void;
  onNegative: () => void;
}) {
  const keyed = keyLabels(taskType, labels);
  const shown = taskType === "tagging" ? labels.filter((l) => l !== NEGATIVE) : labels;
  const active = (label: string) =>
    annotation?.kind === "category"
      ? annotation.label === label
      : annotation?.kind === "tags"
        ? annotation.tags.includes(label)
        : taskType === "detection"
          ? (selectedLabel ?? nextLabel) === label
          : false;
  return (
    <div className="flex flex-col gap-1" role="group" aria-label="Labels">
      <h3 data-label-heading className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">
        {taskType === "detection"
          ? selectedLabel === undefined
            ? "Label of the next box"
            : "Label of the selected box"
          : taskType === "tagging"
            ? "Tags"
            : "Label"}
      </h3>
      {shown.map((label) => {
        const slot = keyed.indexOf(label);
        const isActive = active(label);
        return (
          <button
            type="button"
            key={label}
            data-label-button={label}
            aria-pressed={isActive}
            disabled={readOnly}
            onMouseDown={keepFocus}
            onClick={() => onPick(label)}
            className={cn(
              "flex items-center gap-2 rounded-md border px-2 py-1 text-left text-sm disabled:cursor-default",
              isActive ? "border-primary bg-primary/10 font-medium" : "hover:bg-accent",
            )}
          >
            <span className="h-3 w-3 shrink-0 rounded-sm" style={{ background: labelColour(labels, label) }} />
            <span className="min-w-0 flex-1 truncate">{label}</span>
            {slot >= 0 && (
              <kbd className="rounded border bg-muted px-1 font-mono text-[10px]">{slot === 9 ? 0 : slot + 1}</kbd>
            )}
          </button>
        );
      })}
      {taskType === "tagging" && (
        <button
          type="button"
          data-label-button={NEGATIVE}
          aria-pressed={annotation?.kind === "tags" && annotation.tags.includes(NEGATIVE)}
          disabled={readOnly}
          onMouseDown={keepFocus}
          onClick={onNegative}
          className={cn(
            "flex items-center gap-2 rounded-md border border-dashed px-2 py-1 text-left text-sm",
            annotation?.kind === "tags" && annotation.tags.includes(NEGATIVE)
              ? "border-primary bg-primary/10 font-medium"
              : "hover:bg-accent",
          )}
        >
          <span className="min-w-0 flex-1 truncate">{NEGATIVE} (none of them)</span>
          <kbd className="rounded border bg-muted px-1 font-mono text-[10px]">N</kbd>
        </button>
      )}
    </div>
  );
}

/** The regression value: typed, Enter saves, confirms and goes on; Esc puts the saved value back. */
export function ValueField({
  imageId,
  value,
  startRef,
  readOnly,
  onCommit,
  onCommitAndNext,
}: {
  imageId: string;
  value: number | null;
  /** Set to a function that focuses the field and, given a text, starts the value with it. */
  startRef: RefObject<((text: string | undefined) => void) | null>;
  readOnly: boolean;
  onCommit: (value: number | null) => void;
  onCommitAndNext: (value: number | null) => void;
}) {
  const saved = value === null ? "" : String(value);
  const [text, setText] = useState<string | undefined>(undefined);
  const [problem, setProblem] = useState<string | undefined>();
  const input = useRef<HTMLInputElement>(null);
  useEffect(() => {
    startRef.current = (start) => {
      input.current?.focus();
      if (start !== undefined) setText(start);
      else input.current?.select();
    };
    return () => {
      startRef.current = null;
    };
  }, [startRef]);
  // Another image: its own value shows (the field keeps the focus, so typing goes straight on).
  const [shownFor, setShownFor] = useState(imageId);
  if (shownFor !== imageId) {
    setShownFor(imageId);
    setText(undefined);
    setProblem(undefined);
  }
  const parse = (raw: string): number | null | undefined => {
    const trimmed = raw.trim().replace(",", ".");
    if (trimmed === "") return null;
    const number = Number(trimmed);
    return Number.isFinite(number) ? number : undefined;
  };
  const commit = (next: (value: number | null) => void): boolean => {
    if (text === undefined) return true;
    const parsed = parse(text);
    if (parsed === undefined) {
      setProblem(`"${text}" is not a number.`);
      return false;
    }
    setProblem(undefined);
    setText(undefined);
    next(parsed);
    return true;
  };
  const onKeyDown = (event: KeyboardEvent<HTMLInputElement>) => {
    if (event.key === "Enter") {
      event.preventDefault();
      if (text === undefined) onCommitAndNext(value);
      else commit(onCommitAndNext);
    } else if (event.key === "Escape") {
      setText(undefined);
      setProblem(undefined);
      event.currentTarget.blur();
    }
  };
  return (
    <label className="flex flex-col gap-1 text-sm">
      <span className="font-medium">Value</span>
      <input
        ref={input}
        data-value-input
        inputMode="decimal"
        disabled={readOnly}
        value={text ?? saved}
        onChange={(e) => setText(e.target.value)}
        onBlur={() => commit(onCommit)}
        onKeyDown={onKeyDown}
        aria-invalid={problem !== undefined}
        className="h-9 rounded-md border border-input bg-background px-3 text-sm shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring"
      />
      {problem !== undefined && <span className="text-xs text-destructive">{problem}</span>}
      <span className="text-xs text-muted-foreground">Enter saves and goes on; Esc puts the saved value back.</span>
    </label>
  );
}

/** The compact list of shortcuts for this task type. */
export const ShortcutLegend = memo(function ShortcutLegend({
  taskType,
  readOnly,
}: {
  taskType: AnnotatorTaskType;
  readOnly: boolean;
}) {
  return (
    <dl data-shortcut-legend className="grid grid-cols-[7.5rem_1fr] gap-x-2 gap-y-0.5 text-xs text-muted-foreground">
      {shortcutsFor(taskType, readOnly).map((s) => (
        <div key={`${s.keys}-${s.text}`} className="contents">
          <dt className="font-mono text-[11px] text-foreground">{s.keys}</dt>
          <dd>{s.text}</dd>
        </div>
      ))}
    </dl>
  );
});
