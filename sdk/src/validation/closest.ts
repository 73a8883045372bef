/** The nearest few of many names to a name that is not among them (a typo, a renamed label). */

const COMPARED_LENGTH = 64;

/** Edit distance (insert, delete, substitute one character), case-insensitive, in O(a·b) time and O(b) memory. */
export function editDistance(a: string, b: string): number {
  const s = a.toLowerCase();
  const t = b.toLowerCase();
  let previous = Array.from({ length: t.length + 1 }, (_, j) => j);
  for (let i = 1; i <= s.length; i++) {
    const current = [i];
    for (let j = 1; j <= t.length; j++) {
      const substitute = (previous[j - 1] as number) + (s[i - 1] === t[j - 1] ? 0 : 1);
      current.push(Math.min(substitute, (previous[j] as number) + 1, (current[j - 1] as number) + 1));
    }
    previous = current;
  }
  return previous[t.length] as number;
}

/**
 * The `count` names closest to `name`: names containing it (or contained in it) first, then by edit
 * distance, ties in the given order.
 *
 * @example closestNames("retriever", ["golden retriever", "tabby", "Labrador retriever"]) // ["golden retriever", "Labrador retriever", "tabby"]
 */
export function closestNames(name: string, names: readonly string[], count = 5): string[] {
  // Long names are told apart by their start; this bounds the work to 10,000 labels × 64² steps.
  const wanted = name.toLowerCase().slice(0, COMPARED_LENGTH);
  return names
    .map((candidate, order) => {
      const lower = candidate.toLowerCase().slice(0, COMPARED_LENGTH);
      const contains = wanted !== "" && (lower.includes(wanted) || wanted.includes(lower));
      return { candidate, order, contains, distance: editDistance(wanted, lower) };
    })
    .sort((x, y) => Number(y.contains) - Number(x.contains) || x.distance - y.distance || x.order - y.order)
    .slice(0, count)
    .map((entry) => entry.candidate);
}
