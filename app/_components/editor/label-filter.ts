/** Which labels a label picker offers for what was typed: fast enough for tasks with thousands of labels. */

export interface LabelMatches {
  /** The first `limit` matches: labels starting with the query first, then labels containing it. */
  shown: string[];
  /** How many labels match in all. */
  total: number;
}

/** Labels matching `query` (case-insensitive, ignoring surrounding spaces), prefix matches first, each in task order. */
export function filterLabels(labels: readonly string[], query: string, limit: number): LabelMatches {
  const needle = query.trim().toLowerCase();
  if (needle === "") return { shown: labels.slice(0, limit), total: labels.length };
  const starting: string[] = [];
  const containing: string[] = [];
  for (const label of labels) {
    const at = label.toLowerCase().indexOf(needle);
    if (at === 0) starting.push(label);
    else if (at > 0) containing.push(label);
  }
  const all = starting.length >= limit ? starting : [...starting, ...containing];
  return { shown: all.slice(0, limit), total: starting.length + containing.length };
}

/** `selected` with `label` added (at the end) or taken out. */
export function toggleLabel(selected: readonly string[], label: string): string[] {
  return selected.includes(label) ? selected.filter((l) => l !== label) : [...selected, label];
}

/** The option index after pressing an arrow key, wrapping around; -1 when there is nothing to move to. */
export function moveActive(active: number, count: number, delta: 1 | -1): number {
  if (count === 0) return -1;
  if (active < 0) return delta === 1 ? 0 : count - 1;
  return (active + delta + count) % count;
}
