"use client";

import { useEffect, useRef } from "react";
import type { NodeOutcome } from "./test-outcomes";

/** What the selected node did in the last test run: the labels it produced, and each run's input and output. */
export function NodeRuns({ outcome }: { outcome: NodeOutcome }) {
  const focus = outcome.focus;
  const focused = useRef<HTMLDetailsElement>(null);
  useEffect(() => {
    if (focus !== undefined) focused.current?.scrollIntoView({ block: "nearest" });
  }, [focus]);
  return (
    <section className="grid min-w-0 gap-2 border-t pt-3" aria-label="What this node saw and wrote">
      <h3 className="text-sm font-semibold">Last test run</h3>
      {outcome.stale && (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-stale-outcome>
          From an earlier test, settings changed since. Run the test again to see what it does now.
        </p>
      )}
      {outcome.dropped > 0 && (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-dropped-note>
          {outcome.dropped} object{outcome.dropped === 1 ? " was" : "s were"} found but left out by a cap: this
          node&apos;s Maximum objects, or the model version&apos;s maxDetections. Each run that cut says how many in{" "}
          <code>_objects_dropped</code>; raise the cap to keep them.
        </p>
      )}
      {outcome.objectsSkipped > 0 && (
        <p className="rounded bg-amber-50 px-2 py-1 text-xs text-amber-900" data-skipped-note>
          The next actions did not run on {outcome.objectsSkipped} of the objects this node returned: past its
          Maximum objects. They are still listed in <code>_objects</code>; raise the cap to run on them.
        </p>
      )}
      {outcome.labels.length > 0 && (
        <div className={outcome.stale ? "opacity-60" : undefined}>
          <div className="text-xs font-medium">
            {outcome.labels.length} label{outcome.labels.length === 1 ? "" : "s"} in {outcome.runs} run
            {outcome.runs === 1 ? "" : "s"}
          </div>
          <ul className="mt-1 grid max-h-48 gap-0.5 overflow-y-auto text-xs" aria-label="Labels" data-outcome-labels>
            {outcome.labels.map(({ label, count }) => (
              <li key={label} className="flex gap-2">
                <span className="min-w-0 flex-1 break-words">{label}</span>
                <span className="shrink-0 tabular-nums text-muted-foreground">×{count}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      {outcome.entries.map((entry, i) => {
        const isFocus = focus?.entry === i;
        return (
          <details
            // Remounted when focus moves, so the asked-for entry opens even after the user closed it.
            key={`${i}:${isFocus ? focus.at : ""}`}
            ref={isFocus ? focused : undefined}
            open={focus === undefined ? i === 0 : isFocus}
            className={`min-w-0 rounded-md border p-2 text-xs ${isFocus ? "border-primary ring-2 ring-primary/30" : ""} ${outcome.stale ? "opacity-60" : ""}`}
            data-run-entry={i}
          >
            <summary className="cursor-pointer font-medium">
              {entry.scope.kind === "record"
                ? "On the image"
                : `On object ${entry.scope.path.map((n) => n + 1).join(" › ")}`}
              {" · "}
              {entry.error === undefined ? `took ${entry.handles.join(" · ") || "no handle"}` : "failed"} ·{" "}
              {Math.round(entry.timeMs)} ms · {entry.credits} credit{entry.credits === 1 ? "" : "s"}
            </summary>
            {entry.error !== undefined && <p className="mt-1 break-words text-destructive">{entry.error}</p>}
            <div className="mt-1 font-medium">Saw</div>
            <Json value={entry.seen} />
            <div className="mt-1 font-medium">Wrote</div>
            <Json value={entry.written} written />
          </details>
        );
      })}
    </section>
  );
}

/** JSON in its own scrolling box, long lines wrapped, so it never widens the panel. */
function Json({ value, written = false }: { value: unknown; written?: boolean }) {
  return (
    <pre
      className="max-h-40 max-w-full overflow-auto whitespace-pre-wrap rounded bg-muted p-1 wrap-anywhere"
      {...(written ? { "data-written": true } : {})}
    >
      {JSON.stringify(value, null, 2)}
    </pre>
  );
}
