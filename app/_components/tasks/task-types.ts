/** Task types as the pages describe them. */
export const TASK_TYPES = ["categorization", "tagging", "regression", "detection"] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_TYPE_INFO: Record<TaskType, { title: string; description: string }> = {
  categorization: { title: "Categorization", description: "One label per image (the most probable)." },
  tagging: { title: "Tagging", description: "Any number of labels per image (each over a threshold)." },
  regression: { title: "Regression", description: "A number per image (an age, a score, a count)." },
  detection: { title: "Detection", description: "Objects with a label and a bounding box." },
};

/**
 * Labels typed or pasted by a user: one per line, or comma-separated on one line. A synset line
 * (`n01440764 tench, Tinca tinca`) keeps its first name.
 */
export function parseLabels(text: string): string[] {
  const lines = text
    .split(/\r?\n/)
    .map((l) => l.trim())
    .filter((l) => l !== "");
  const items = lines.length === 1 ? (lines[0] ?? "").split(",") : lines;
  return items
    .map((l) => l.trim())
    .map((l) => (/^n\d{8}\s/.test(l) ? (l.slice(10).split(",")[0] ?? "").trim() : l))
    .filter((l) => l !== "");
}
