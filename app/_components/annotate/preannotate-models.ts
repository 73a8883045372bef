/** What the pre-annotation dialog says about model versions and runs (no React: tested beside it). */

export interface PreannotationModel {
  modelVersionId: string;
  taskId: string;
  taskName: string;
  taskType: string;
  version: number;
  active: boolean;
  sameTask: boolean;
  usable: boolean;
  reason: string | null;
  missingLabels: string[];
  labelsAdded: boolean;
}

export interface PreannotationRunView {
  status: "queued" | "running" | "done" | "failed" | "cancelled";
  processed: number;
  total: number;
  proposed: number;
  dropped: number;
  failed: number;
  failures: readonly { fileName: string; reason: string }[];
  error: string | null;
}

export const TERMINAL_RUN_STATUSES: readonly PreannotationRunView["status"][] = ["done", "failed", "cancelled"];

/** The choice's title: "COCO · version 2 (active)", or "This task · version 1". */
export function modelTitle(model: PreannotationModel): string {
  return `${model.sameTask ? "This task" : model.taskName} · version ${model.version}${model.active ? " (active)" : ""}`;
}

/** One line under a choice: why it cannot be used, or what happens to labels the task lacks. */
export function modelNote(model: PreannotationModel): string | undefined {
  if (!model.usable) return model.reason ?? "It cannot propose annotations for this task.";
  if (model.labelsAdded) return `Its ${model.missingLabels.length} labels become this task's labels.`;
  if (model.missingLabels.length > 0) {
    const shown = model.missingLabels.slice(0, 4).join(", ");
    const more = model.missingLabels.length > 4 ? ` and ${model.missingLabels.length - 4} more` : "";
    return `Proposals of labels this task does not have (${shown}${more}) are left out.`;
  }
  return undefined;
}

/** Usable versions first (this task's, then active ones), the rest after, each group in a stable order. */
export function sortedModels(models: readonly PreannotationModel[]): PreannotationModel[] {
  const rank = (m: PreannotationModel) => (m.usable ? 0 : 4) + (m.sameTask ? 0 : 2) + (m.active ? 0 : 1);
  return [...models].sort((a, b) => rank(a) - rank(b) || a.taskName.localeCompare(b.taskName) || b.version - a.version);
}

/** Why nothing can be picked, or undefined where something can. */
export function noModelReason(models: readonly PreannotationModel[], taskType: string): string | undefined {
  if (models.some((m) => m.usable)) return undefined;
  const kind = taskType === "detection" ? "detector" : `${taskType} model`;
  if (models.length === 0) {
    return `No model version in this workspace can propose annotations: upload a ${kind} to this task or to another ${taskType} task first.`;
  }
  const sameType = models.filter((m) => m.taskType === taskType);
  if (sameType.length === 0) {
    return `None of the workspace's model versions is a ${kind}: a model proposes only for tasks of its own type.`;
  }
  return `No ${kind} fits: none shares a label with this task. Add the labels the model knows to this task (for example COCO names such as "person" or "car"), or use a task without labels.`;
}

/** One line about a run in progress or finished. */
export function runSummary(run: PreannotationRunView): string {
  const of = `${run.processed} of ${run.total} ${run.total === 1 ? "image" : "images"}`;
  switch (run.status) {
    case "queued":
      return "Waiting to start…";
    case "running":
      return `Proposing… ${of}`;
    case "cancelled":
      return `Cancelled after ${of}: ${run.proposed} proposed (they stay until rejected).`;
    case "failed":
      return `Failed after ${of}: ${run.error ?? "the model could not run"}.`;
    case "done": {
      const parts = [`Done: ${run.proposed} of ${run.total} ${run.total === 1 ? "image" : "images"} got a proposal`];
      if (run.dropped > 0)
        parts.push(`${run.dropped} ${run.dropped === 1 ? "label" : "labels"} the task lacks left out`);
      if (run.failed > 0) parts.push(`${run.failed} failed`);
      return `${parts.join("; ")}.`;
    }
  }
}
