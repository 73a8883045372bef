"use client";

/** Metrics of an evaluation as the engine stores them (see flow-engine/src/evaluation/metrics.ts). */
export interface LabelMetrics {
  label: string;
  support: number;
  precision?: number | null;
  recall?: number | null;
  ap50?: number | null;
  ap50to95?: number | null;
}

export type Metrics =
  | {
      type: "categorization";
      count: number;
      accuracy?: number | null;
      labels: LabelMetrics[];
      confusion: { labels: string[]; matrix: number[][] };
    }
  | {
      type: "tagging";
      count: number;
      exactMatch?: number | null;
      microPrecision?: number | null;
      microRecall?: number | null;
      labels: LabelMetrics[];
    }
  | { type: "regression"; count: number; mae?: number | null; rmse?: number | null }
  | { type: "detection"; count: number; map50?: number | null; map50to95?: number | null; labels: LabelMetrics[] };

export function percent(value: number | null | undefined): string {
  return value === undefined || value === null ? "–" : `${(value * 100).toFixed(1)}%`;
}

export function decimal(value: number | null | undefined): string {
  return value === undefined || value === null ? "–" : value.toFixed(3);
}

/** The headline numbers of an evaluation, by task type. */
export function headline(metrics: Metrics): { name: string; value: string }[] {
  switch (metrics.type) {
    case "categorization":
      return [{ name: "Accuracy", value: percent(metrics.accuracy) }];
    case "tagging":
      return [
        { name: "Exact match", value: percent(metrics.exactMatch) },
        { name: "Precision (micro)", value: percent(metrics.microPrecision) },
        { name: "Recall (micro)", value: percent(metrics.microRecall) },
      ];
    case "regression":
      return [
        { name: "MAE", value: decimal(metrics.mae) },
        { name: "RMSE", value: decimal(metrics.rmse) },
      ];
    case "detection":
      return [
        { name: "mAP@0.5", value: percent(metrics.map50) },
        { name: "mAP@0.5:0.95", value: percent(metrics.map50to95) },
      ];
  }
}

export function MetricsView({ metrics }: { metrics: Metrics }) {
  return (
    <div className="grid gap-4">
      <dl className="flex flex-wrap gap-6" data-testid="headline-metrics">
        {headline(metrics).map((m) => (
          <div key={m.name}>
            <dt className="text-xs text-muted-foreground">{m.name}</dt>
            <dd className="text-2xl font-semibold tabular-nums">{m.value}</dd>
          </div>
        ))}
        <div>
          <dt className="text-xs text-muted-foreground">Images</dt>
          <dd className="text-2xl font-semibold tabular-nums">{metrics.count}</dd>
        </div>
      </dl>
      {metrics.type !== "regression" && <LabelTable metrics={metrics} />}
      {metrics.type === "categorization" && (
        <ConfusionMatrix labels={metrics.confusion.labels} matrix={metrics.confusion.matrix} />
      )}
    </div>
  );
}

function LabelTable({ metrics }: { metrics: Exclude<Metrics, { type: "regression" }> }) {
  const detection = metrics.type === "detection";
  return (
    <div className="max-h-80 overflow-auto rounded-lg border">
      <table className="w-full text-sm">
        <thead className="sticky top-0 bg-muted text-left text-xs text-muted-foreground">
          <tr>
            <th className="px-3 py-2 font-medium">Label</th>
            <th className="px-3 py-2 text-right font-medium">{detection ? "Objects" : "Images"}</th>
            <th className="px-3 py-2 text-right font-medium">Precision</th>
            <th className="px-3 py-2 text-right font-medium">Recall</th>
            {detection && <th className="px-3 py-2 text-right font-medium">AP@0.5</th>}
            {detection && <th className="px-3 py-2 text-right font-medium">AP@0.5:0.95</th>}
          </tr>
        </thead>
        <tbody className="divide-y">
          {metrics.labels
            .filter((l) => l.support > 0 || (l.precision !== undefined && l.precision !== null))
            .map((l) => (
              <tr key={l.label}>
                <td className="px-3 py-1.5">{l.label}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{l.support}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{percent(l.precision)}</td>
                <td className="px-3 py-1.5 text-right tabular-nums">{percent(l.recall)}</td>
                {detection && <td className="px-3 py-1.5 text-right tabular-nums">{percent(l.ap50)}</td>}
                {detection && <td className="px-3 py-1.5 text-right tabular-nums">{percent(l.ap50to95)}</td>}
              </tr>
            ))}
        </tbody>
      </table>
    </div>
  );
}

/** Rows: true label; columns: predicted label (the last one is anything outside the task's labels). */
export function ConfusionMatrix({ labels, matrix }: { labels: string[]; matrix: number[][] }) {
  const max = Math.max(1, ...matrix.flat());
  const shown = labels.length > 30 ? "Only labels with images are shown." : undefined;
  const rows = matrix.map((row, t) => ({ row, t })).filter(({ row }) => labels.length <= 30 || row.some((n) => n > 0));
  return (
    <figure className="grid gap-2">
      <figcaption className="text-sm font-medium">
        Confusion matrix {shown && <span className="font-normal text-muted-foreground">({shown})</span>}
      </figcaption>
      <div className="overflow-auto">
        <table className="border-collapse text-xs" aria-label="Confusion matrix" data-testid="confusion-matrix">
          <thead>
            <tr>
              <th className="p-1 text-left text-muted-foreground">true ↓ / predicted →</th>
              {labels.map((l) => (
                <th key={l} className="max-w-[6rem] truncate p-1 font-medium" title={l}>
                  {l}
                </th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map(({ row, t }) => (
              <tr key={labels[t]}>
                <th className="max-w-[8rem] truncate p-1 text-left font-medium" title={labels[t]}>
                  {labels[t]}
                </th>
                {row.map((n, p) => (
                  <td
                    key={p}
                    className={`h-9 min-w-9 border p-1 text-center tabular-nums ${t === p ? "font-semibold" : ""}`}
                    style={{
                      backgroundColor:
                        n === 0 ? undefined : `rgba(${t === p ? "22,163,74" : "225,29,72"},${0.15 + (0.6 * n) / max})`,
                    }}
                  >
                    {n}
                  </td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </figure>
  );
}
