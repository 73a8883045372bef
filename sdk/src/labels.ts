/**
 * Label lists as users type, paste or load them (task labels, a model's output classes, label files):
 * one label per line, in the model's output order. Shared by the app's boxes and the server's checks so
 * that every box reads a line the same way.
 */

/** One label read from a line. */
export interface ParsedLabel {
  /** The label: the line without its id prefix; for a prefixed synonym list, its first name. */
  readonly name: string;
  /** 1-based line of the text it came from. */
  readonly line: number;
  /** The id prefix that was stripped (`n02123045`, `12:`), if any. */
  readonly id?: string;
  /** The other names of a prefixed synonym list (`tank suit` of `n03710721 maillot, tank suit`). */
  readonly synonyms: readonly string[];
}

/** A name that more than one line gives. */
export interface RepeatedLabel {
  readonly name: string;
  /** 1-based positions (lines) where it appears, the first one included. */
  readonly positions: readonly number[];
}

export interface ParsedLabelList {
  readonly labels: readonly ParsedLabel[];
  /** Names that appear more than once, in order of first appearance. */
  readonly repeated: readonly RepeatedLabel[];
  /** How many labels had an id prefix stripped. */
  readonly prefixed: number;
}

/**
 * An id before the name: a WordNet synset id (`n02123045 tabby, tabby cat`, as in ImageNet's synset file)
 * or a number with a colon (`12: stop sign`). A bare number (`7`) is a label, not an id.
 */
const ID_PREFIX = /^([a-z]\d{8}|\d+:)\s+(.*)$/;

/**
 * Reads a label list: one label per line (blank lines skipped, spaces around trimmed). A line that starts
 * with an id prefix loses it, and when the rest is a synonym list (`tabby, tabby cat`) keeps its first
 * name; a line without an id is kept whole, commas included ("maillot, tank suit" is one label).
 */
export function parseLabelList(text: string): ParsedLabelList {
  const labels: ParsedLabel[] = [];
  let prefixed = 0;
  text
    .replace(/^\uFEFF/, "")
    .split(/\r\n|\r|\n/)
    .forEach((raw, index) => {
      const line = raw.trim();
      if (line === "") return;
      const match = ID_PREFIX.exec(line);
      if (match === null) {
        labels.push({ name: line, line: index + 1, synonyms: [] });
        return;
      }
      const names = (match[2] ?? "")
        .split(",")
        .map((n) => n.trim())
        .filter((n) => n !== "");
      const [first, ...synonyms] = names;
      if (first === undefined) return;
      prefixed += 1;
      labels.push({ name: first, line: index + 1, id: (match[1] ?? "").replace(/:$/, ""), synonyms });
    });
  return { labels, repeated: repeatedLabels(labels.map((l) => l.name)), prefixed };
}

/** The names of a list, as `parseLabelList` reads them. */
export function labelNames(text: string): string[] {
  return parseLabelList(text).labels.map((l) => l.name);
}

/**
 * Names that appear more than once in `names` (1-based positions), in order of first appearance. Empty
 * names (an output class that drops its output) are not labels and never repeat.
 */
export function repeatedLabels(names: readonly string[]): RepeatedLabel[] {
  const positions = new Map<string, number[]>();
  names.forEach((name, i) => {
    if (name === "") return;
    const list = positions.get(name);
    if (list) list.push(i + 1);
    else positions.set(name, [i + 1]);
  });
  return [...positions].filter(([, at]) => at.length > 1).map(([name, at]) => ({ name, positions: at }));
}

/** A proposed new name for one repeat. */
export interface LabelRename {
  /** 1-based position in the list. */
  readonly position: number;
  readonly from: string;
  readonly to: string;
}

/**
 * A new name for every repeat after the first of each name, so that no two labels are equal and none equals
 * one of `taken` (labels the task already has). A repeat from a synonym list takes its first synonym nobody
 * uses (`maillot, tank suit` → `tank suit`); otherwise it is numbered (`crane` → `crane (2)`).
 */
export function proposeLabelRenames(
  labels: readonly (string | Pick<ParsedLabel, "name" | "synonyms">)[],
  taken: readonly string[] = [],
): LabelRename[] {
  const items = labels.map((l) => (typeof l === "string" ? { name: l, synonyms: [] as readonly string[] } : l));
  const used = new Set([...taken, ...items.map((l) => l.name)]);
  const seen = new Set(taken);
  const renames: LabelRename[] = [];
  items.forEach((label, i) => {
    if (label.name === "") return;
    if (!seen.has(label.name)) {
      seen.add(label.name);
      return;
    }
    let to = label.synonyms.find((s) => !used.has(s));
    for (let n = 2; to === undefined; n++) {
      const candidate = `${label.name} (${n})`;
      if (!used.has(candidate)) to = candidate;
    }
    used.add(to);
    seen.add(to);
    renames.push({ position: i + 1, from: label.name, to });
  });
  return renames;
}

/** The names with the renames applied (positions are 1-based, as `proposeLabelRenames` gives them). */
export function applyLabelRenames(names: readonly string[], renames: readonly LabelRename[]): string[] {
  const out = [...names];
  for (const r of renames) out[r.position - 1] = r.to;
  return out;
}

/**
 * The text with the proposed renames applied to its lines (`proposeLabelRenames` of its labels, `taken`
 * counting as used), every other line as it was: `n03126707 crane` becomes `n03126707 crane (2)`, which
 * reads as `crane (2)`. The text itself when nothing repeats.
 */
export function fixRepeatedLabels(text: string, taken: readonly string[] = []): string {
  const { labels } = parseLabelList(text);
  const renames = proposeLabelRenames(labels, taken);
  if (renames.length === 0) return text;
  const lines = text.replace(/^\uFEFF/, "").split(/\r\n|\r|\n/);
  for (const r of renames) {
    const label = labels[r.position - 1];
    if (label === undefined) continue;
    const id = label.id === undefined ? "" : /^\d+$/.test(label.id) ? `${label.id}: ` : `${label.id} `;
    lines[label.line - 1] = `${id}${r.to}`;
  }
  return lines.join("\n");
}

function quote(name: string): string {
  return `"${name}"`;
}

function listOf(items: readonly string[]): string {
  if (items.length <= 1) return items.join("");
  return `${items.slice(0, -1).join(", ")} and ${items[items.length - 1] ?? ""}`;
}

/**
 * A refusal for repeated names that names them, where they are and the fix: `The labels "crane" (lines 135
 * and 518) and "maillot" (lines 639 and 640) appear more than once; each label must be unique, so rename the
 * repeats, e.g. "crane (2)" and "maillot (2)".` With `field` ("Output classes") the sentence names that field;
 * `unit` is what a position is ("line", "output"). Undefined when nothing repeats.
 */
export function repeatedLabelsMessage(
  names: readonly string[],
  options: { readonly field?: string; readonly unit?: string; readonly taken?: readonly string[] } = {},
): string | undefined {
  const repeated = repeatedLabels(names);
  if (repeated.length === 0) return undefined;
  const unit = options.unit ?? "line";
  const shown = repeated.slice(0, 5);
  const where = shown.map((r) => {
    const at = r.positions.slice(0, 5).map(String);
    return `${quote(r.name)} (${unit}s ${listOf(at)}${r.positions.length > 5 ? ", …" : ""})`;
  });
  const named = `${listOf(where)}${repeated.length > shown.length ? ` and ${repeated.length - shown.length} more` : ""}`;
  const fix = listOf(
    proposeLabelRenames(names, options.taken)
      .slice(0, 3)
      .map((r) => quote(r.to)),
  );
  const one = repeated.length === 1;
  return options.field === undefined
    ? `The label${one ? "" : "s"} ${named} ${one ? "appears" : "appear"} more than once; each label must be unique, so rename the repeats, e.g. ${fix}.`
    : `${options.field} name ${named} more than once; each must be unique, so rename the repeats, e.g. ${fix}.`;
}

/** How a model's output classes differ from the task's labels (empty output classes drop an output). */
export interface LabelListDifferences {
  /** Task labels no output gives: the model never predicts them. */
  readonly missing: readonly string[];
  /** Output classes that are not labels of the task. */
  readonly extra: readonly string[];
}

export function labelListDifferences(
  outputClasses: readonly string[],
  taskLabels: readonly string[],
): LabelListDifferences {
  const outputs = new Set(outputClasses.filter((c) => c !== ""));
  const task = new Set(taskLabels);
  return {
    missing: taskLabels.filter((l) => !outputs.has(l)),
    extra: [...outputs].filter((c) => !task.has(c)),
  };
}

/** `"a", "b", "c" and 7 more`: the first few names of a long list. */
export function someLabels(names: readonly string[], shown = 5): string {
  const quoted = names.slice(0, shown).map(quote);
  return names.length > shown ? `${quoted.join(", ")} and ${names.length - shown} more` : listOf(quoted);
}
