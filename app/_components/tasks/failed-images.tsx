"use client";

import { useWorkspace } from "../shell/workspace-context";

interface Result {
  position: number;
  fileName: string;
  correct: boolean;
  truth?: unknown;
  predicted: unknown;
}

/** What an image truly shows, in a few words; labels one per line (labels contain commas). */
export function describeTruth(truth: unknown): string {
  if (typeof truth === "string") return truth;
  if (typeof truth === "number") return truth.toFixed(3);
  if (Array.isArray(truth)) {
    if (truth.every((t) => typeof t === "string")) return truth.length === 0 ? "(no labels)" : truth.join("\n");
    return `${truth.length} object${truth.length === 1 ? "" : "s"}:\n${summarize(truth as { name: string }[])}`;
  }
  return JSON.stringify(truth);
}

function summarize(objects: readonly { name: string }[]): string {
  const counts = new Map<string, number>();
  for (const o of objects) counts.set(o.name, (counts.get(o.name) ?? 0) + 1);
  return [...counts].map(([name, n]) => (n === 1 ? name : `${n}× ${name}`)).join("\n") || "none";
}

function describePrediction(predicted: unknown): string {
  if (typeof predicted !== "object" || predicted === null) return "?";
  const p = predicted as Record<string, unknown>;
  if (typeof p.error === "string") return `error: ${p.error}`;
  if (typeof p.label === "string") return `${p.label} (${((p.prob as number) * 100).toFixed(0)}%)`;
  if (Array.isArray(p.labels)) return p.labels.length === 0 ? "(no labels)" : (p.labels as string[]).join("\n");
  if (typeof p.value === "number") return p.value.toFixed(3);
  if (Array.isArray(p.objects)) {
    const objects = p.objects as { name: string }[];
    return `${objects.length} object${objects.length === 1 ? "" : "s"}:\n${summarize(objects)}`;
  }
  return "?";
}

/** The images an evaluation got wrong: thumbnail, truth and prediction. */
export function FailedImages({ testSetId, results }: { testSetId: string; results: readonly Result[] }) {
  const workspace = useWorkspace();
  const failed = results.filter((r) => !r.correct);
  if (failed.length === 0) return <p className="text-sm text-muted-foreground">Every image was right.</p>;
  return (
    <section className="grid gap-2">
      <h4 className="text-sm font-medium">
        Failed images ({failed.length} of {results.length})
      </h4>
      <ul className="grid grid-cols-2 gap-3 sm:grid-cols-3 lg:grid-cols-4" aria-label="Failed images">
        {failed.slice(0, 60).map((r) => (
          <li key={r.position} className="grid gap-1 rounded-md border p-2 text-xs" data-failed={r.fileName}>
            <img
              src={`/api/workspaces/${workspace.id}/test-sets/${testSetId}/images/${r.position}`}
              alt={r.fileName}
              loading="lazy"
              className="aspect-square w-full rounded object-cover"
            />
            <span className="truncate text-muted-foreground" title={r.fileName}>
              {r.fileName}
            </span>
            <span className="whitespace-pre-line break-words">
              <span className="text-muted-foreground">true:</span> {describeTruth(r.truth)}
            </span>
            <span className="whitespace-pre-line break-words text-destructive">
              <span className="text-muted-foreground">predicted:</span> {describePrediction(r.predicted)}
            </span>
          </li>
        ))}
      </ul>
      {failed.length > 60 && <p className="text-xs text-muted-foreground">The first 60 are shown.</p>}
    </section>
  );
}
