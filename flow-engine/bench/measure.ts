/** Timing helpers of the benchmark: keep N jobs in flight, summarise rounds, compare both paths' answers. */
import { loadavg } from "node:os";
import type { PipelineObject } from "./direct-pipeline.js";

/** Runs `job` over `items` with `inFlight` at a time; returns images per second. */
export async function throughput<T>(items: readonly T[], inFlight: number, job: (item: T) => Promise<unknown>) {
  let next = 0;
  const started = performance.now();
  const lane = async (): Promise<void> => {
    while (next < items.length) await job(items[next++] as T);
  };
  await Promise.all(Array.from({ length: inFlight }, lane));
  return items.length / ((performance.now() - started) / 1000);
}

export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? (sorted[mid] as number) : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** "median (min-max)" with `digits` decimals. */
export function summary(values: readonly number[], digits = 1): string {
  const f = (v: number) => v.toFixed(digits);
  return `${f(median(values))} (${f(Math.min(...values))}-${f(Math.max(...values))})`;
}

/** The 1, 5 and 15 minute load averages, as `uptime` prints them. */
export function loadAverage(): string {
  return loadavg()
    .map((v) => v.toFixed(2))
    .join(", ");
}

/** Differences between the two paths' objects for one photo, or an empty list when they agree. */
export function differences(engine: readonly PipelineObject[], direct: readonly PipelineObject[]): string[] {
  const found: string[] = [];
  if (engine.length !== direct.length) found.push(`${engine.length} objects vs ${direct.length}`);
  for (let i = 0; i < Math.min(engine.length, direct.length); i++) {
    const e = engine[i] as PipelineObject;
    const d = direct[i] as PipelineObject;
    const offBy = Math.max(...e.bound_box.map((v, k) => Math.abs(v - (d.bound_box[k] as number))));
    if (e.name !== d.name) found.push(`object ${i}: ${e.name} vs ${d.name}`);
    if (Math.abs(e.prob - d.prob) > 1e-4) found.push(`object ${i}: prob ${e.prob.toFixed(4)} vs ${d.prob.toFixed(4)}`);
    if (offBy > 0.5) found.push(`object ${i}: boxes differ by ${offBy.toFixed(1)} px`);
    if (e.label !== d.label) found.push(`object ${i}: label ${e.label} vs ${d.label}`);
  }
  return found;
}
