"use client";

import { headline, percent, type Metrics } from "./metrics-view";

interface Compared {
  id: string;
  modelVersion: number;
  testSetName: string;
  metrics?: unknown;
}

/** Two evaluations' metrics side by side: the headline numbers, then per label. */
export function CompareEvaluations({ evaluations }: { evaluations: readonly Compared[] }) {
  const [a, b] = evaluations;
  if (a === undefined || b === undefined) return null;
  const ma = a.metrics as Metrics;
  const mb = b.metrics as Metrics;
  const rowsA = headline(ma);
  const rowsB = headline(mb);
  const labelsA = "labels" in ma ? ma.labels : [];
  const labelsB = new Map(("labels" in mb ? mb.labels : []).map((l) => [l.label, l]));
  const detection = ma.type === "detection";
  return (
    <div className="overflow-x-auto rounded-lg border" data-testid="compare">
      <table className="w-full text-sm">
        <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
          <tr>
            <th className="px-3 py-2 font-medium">Metric</th>
            <th className="px-3 py-2 text-right font-medium">
              v{a.modelVersion} on {a.testSetName}
            </th>
            <th className="px-3 py-2 text-right font-medium">
              v{b.modelVersion} on {b.testSetName}
            </th>
          </tr>
        </thead>
        <tbody className="divide-y">
          {rowsA.map((row, i) => (
            <tr key={row.name} className="font-medium">
              <td className="px-3 py-1.5">{row.name}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{row.value}</td>
              <td className="px-3 py-1.5 text-right tabular-nums">{rowsB[i]?.value ?? "–"}</td>
            </tr>
          ))}
          {labelsA
            .filter((l) => l.support > 0)
            .map((l) => {
              const other = labelsB.get(l.label);
              const pick = (m: typeof l | undefined) =>
                detection ? percent(m?.ap50) : `${percent(m?.precision)} / ${percent(m?.recall)}`;
              return (
                <tr key={l.label}>
                  <td className="px-3 py-1.5 text-muted-foreground">
                    {l.label} {detection ? "AP@0.5" : "precision / recall"}
                  </td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{pick(l)}</td>
                  <td className="px-3 py-1.5 text-right tabular-nums">{pick(other)}</td>
                </tr>
              );
            })}
        </tbody>
      </table>
    </div>
  );
}
