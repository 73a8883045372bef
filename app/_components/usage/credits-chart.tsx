"use client";

import { Bar, BarChart, CartesianGrid, Legend, ResponsiveContainer, Tooltip, XAxis, YAxis } from "recharts";

export interface DailyCredits {
  day: string;
  flowId: string | null;
  flowName: string | null;
  credits: number;
}

const COLOURS = ["#2563eb", "#16a34a", "#d97706", "#dc2626", "#7c3aed", "#0891b2", "#db2777", "#65a30d"];

/** Every UTC day from `from` to `to` (inclusive) as YYYY-MM-DD. */
function daysBetween(from: Date, to: Date): string[] {
  const days: string[] = [];
  const day = new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth(), from.getUTCDate()));
  while (day.getTime() <= to.getTime()) {
    days.push(day.toISOString().slice(0, 10));
    day.setUTCDate(day.getUTCDate() + 1);
  }
  return days;
}

/** Credits per day of the period, one stacked bar segment per flow. */
export function CreditsChart({ daily, periodStart }: { daily: DailyCredits[]; periodStart: string }) {
  const flows = new Map<string, string>();
  for (const d of daily)
    flows.set(d.flowId ?? "none", d.flowName ?? (d.flowId === null ? "Model tries" : "Deleted flow"));
  const rows = daysBetween(new Date(periodStart), new Date()).map((day) => {
    const row: Record<string, string | number> = { day: day.slice(5) };
    for (const d of daily) if (d.day === day) row[d.flowId ?? "none"] = d.credits;
    return row;
  });
  return (
    <div className="h-64 w-full" role="img" aria-label="Credits per day, stacked by flow">
      <ResponsiveContainer width="100%" height="100%">
        <BarChart data={rows} margin={{ top: 8, right: 8, bottom: 0, left: -16 }}>
          <CartesianGrid strokeDasharray="3 3" vertical={false} />
          <XAxis dataKey="day" fontSize={12} tickLine={false} />
          <YAxis allowDecimals={false} fontSize={12} tickLine={false} />
          <Tooltip />
          <Legend />
          {[...flows].map(([id, name], i) => (
            <Bar
              key={id}
              dataKey={id}
              name={name}
              stackId="credits"
              fill={COLOURS[i % COLOURS.length]}
              isAnimationActive={false}
            />
          ))}
        </BarChart>
      </ResponsiveContainer>
    </div>
  );
}
