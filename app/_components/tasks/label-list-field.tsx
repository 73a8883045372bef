"use client";

import { useMemo, type ReactNode } from "react";
import { fixRepeatedLabels, parseLabelList, proposeLabelRenames, type ParsedLabelList } from "@vizflow/sdk";
import { Button } from "../ui/button";
import { Field } from "../ui/field";

const textarea =
  "rounded-md border border-input bg-background px-3 py-2 font-mono text-xs shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

/** How every box that takes labels reads its text (see `parseLabelList`), for its hint. */
export const LABEL_LIST_HINT =
  "One label per line, in the model's output order. An id before the name (n02123045 tabby, tabby cat) is dropped with the other names of its list (tabby).";

/**
 * A box for a list of labels (task labels, a model's output classes): typed, pasted or loaded from a file,
 * read one per line by the shared parser, with what it read shown one per line, and repeats shown with a
 * proposed fix that one click applies. `taken` are labels that exist already (adding to a task).
 */
export function LabelListField({
  id,
  label,
  value,
  onChange,
  error,
  hint,
  taken = [],
  rows = 5,
  optional = false,
  children,
}: {
  id: string;
  label: string;
  value: string;
  onChange: (text: string) => void;
  error?: string | undefined;
  hint?: ReactNode;
  taken?: readonly string[];
  rows?: number;
  /** Says "optional" next to the count. */
  optional?: boolean;
  /** More checks shown under the box (e.g. against a model). */
  children?: ReactNode;
}) {
  const parsed = useMemo(() => parseLabelList(value), [value]);
  const loadFile = async (file: File | undefined) => {
    if (file) onChange(await file.text());
  };
  return (
    <div className="grid gap-2">
      <Field
        id={id}
        label={`${label} (${optional ? "optional, " : ""}${parsed.labels.length})`}
        error={error}
        hint={hint ?? LABEL_LIST_HINT}
      >
        {(control) => (
          <textarea
            {...control}
            rows={rows}
            spellCheck={false}
            value={value}
            onChange={(e) => onChange(e.target.value)}
            className={textarea}
          />
        )}
      </Field>
      <label className="text-xs text-muted-foreground">
        Or load a label file (one per line):{" "}
        <input
          type="file"
          accept=".txt,.csv,.names,.labels,text/plain"
          aria-label={`Load ${label.toLowerCase()} from a file`}
          className="text-xs"
          onChange={(e) => {
            void loadFile(e.target.files?.[0]);
            // The box holds the text now; the same file can be loaded again after edits.
            e.target.value = "";
          }}
        />
      </label>
      <ReadLabels parsed={parsed} />
      <Repeats parsed={parsed} taken={taken} onFix={() => onChange(fixRepeatedLabels(value, taken))} />
      <OneLineWithCommas parsed={parsed} onSplit={() => onChange(value.split(",").join("\n"))} />
      {children}
    </div>
  );
}

/** What the parser made of the text: a count, the ids it dropped, and the whole list one per line. */
function ReadLabels({ parsed }: { parsed: ParsedLabelList }) {
  if (parsed.labels.length === 0) return null;
  const example = parsed.labels.find((l) => l.id !== undefined);
  return (
    <details className="text-xs text-muted-foreground" data-testid="labels-read">
      <summary className="cursor-pointer">
        Read {parsed.labels.length} label{parsed.labels.length === 1 ? "" : "s"}
        {example !== undefined &&
          `; ${parsed.prefixed} id prefix${parsed.prefixed === 1 ? "" : "es"} dropped (line ${example.line}: ${example.id ?? ""} ${[example.name, ...example.synonyms].join(", ")} → ${example.name})`}
        . Show them
      </summary>
      <LabelLines names={parsed.labels.map((l) => l.name)} className="mt-1 max-h-40" />
    </details>
  );
}

/** Labels one per line, numbered from 1 in output order (labels contain commas: never joined). */
export function LabelLines({
  names,
  className = "",
  limit = 1000,
  numbered = true,
}: {
  names: readonly string[];
  className?: string;
  limit?: number;
  /** Number the lines by position (a list in output order); off for a subset. */
  numbered?: boolean;
}) {
  return (
    <ol className={`overflow-y-auto rounded-md border bg-muted/30 px-2 py-1 font-mono text-xs ${className}`}>
      {names.slice(0, limit).map((name, i) => (
        <li key={i} className="flex gap-2 whitespace-pre-wrap">
          {numbered && <span className="w-10 shrink-0 text-right tabular-nums text-muted-foreground">{i + 1}</span>}
          <span>{name}</span>
        </li>
      ))}
      {names.length > limit && <li className="text-muted-foreground">and {names.length - limit} more…</li>}
    </ol>
  );
}

function Repeats({ parsed, taken, onFix }: { parsed: ParsedLabelList; taken: readonly string[]; onFix: () => void }) {
  const renames = useMemo(() => proposeLabelRenames(parsed.labels, taken), [parsed, taken]);
  if (renames.length === 0) return null;
  const existing = new Set(taken);
  return (
    <div
      role="status"
      data-testid="label-repeats"
      className="grid gap-2 rounded-md border border-amber-500/50 bg-amber-500/10 p-3 text-xs"
    >
      <p className="font-medium">
        {renames.length} label{renames.length === 1 ? " repeats a name" : "s repeat names"}; each model output needs a
        label of its own, so repeats are not merged. Proposed:
      </p>
      <ul className="grid gap-0.5 font-mono">
        {renames.map((r) => {
          const at = parsed.labels[r.position - 1];
          const first = parsed.repeated.find((p) => p.name === r.from)?.positions[0];
          const where = existing.has(r.from)
            ? "already a label of the task"
            : `also on line ${parsed.labels[(first ?? 1) - 1]?.line ?? "?"}`;
          return (
            <li key={r.position}>
              line {at?.line ?? r.position}: {r.from} → {r.to}{" "}
              <span className="font-sans text-muted-foreground">({where})</span>
            </li>
          );
        })}
      </ul>
      <div>
        <Button type="button" size="sm" variant="outline" onClick={onFix}>
          Rename the repeats
        </Button>
      </div>
    </div>
  );
}

function OneLineWithCommas({ parsed, onSplit }: { parsed: ParsedLabelList; onSplit: () => void }) {
  const only = parsed.labels.length === 1 ? parsed.labels[0] : undefined;
  if (only === undefined || only.id !== undefined || !only.name.includes(",")) return null;
  return (
    <p className="flex flex-wrap items-center gap-2 text-xs text-muted-foreground">
      This is one label, “{only.name}”: labels can contain commas, so each goes on its own line.
      <Button type="button" size="sm" variant="outline" onClick={onSplit}>
        Put each on its own line
      </Button>
    </p>
  );
}
