/** Task types as the pages describe them. */
export const TASK_TYPES = ["categorization", "tagging", "regression", "detection"] as const;
export type TaskType = (typeof TASK_TYPES)[number];

export const TASK_TYPE_INFO: Record<TaskType, { title: string; description: string }> = {
  categorization: { title: "Categorization", description: "One label per image (the most probable)." },
  tagging: { title: "Tagging", description: "Any number of labels per image (each over a threshold)." },
  regression: { title: "Regression", description: "A number per image (an age, a score, a count)." },
  detection: { title: "Detection", description: "Objects with a label and a bounding box." },
};
