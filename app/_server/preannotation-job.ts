import {
  addTaskLabels,
  createPreannotationRun,
  findPreannotationRun,
  findTask,
  findTrainingItems,
  proposeTrainingAnnotations,
  updatePreannotationRun,
  type Database,
  type PreannotationFailure,
  type PreannotationRunInfo,
  type TrainingItemInfo,
} from "@vizflow/db";
import { DecodedScopeImage, type TrainingAnnotation, type TrainingBox } from "@vizflow/flow-engine";
import type { TaskPrediction, TaskType } from "@vizflow/sdk";
import type { ModelServices } from "./model-services";

// Pre-annotation (issue 12 item 5): a model version proposes annotations for selected images of a task's
// training set, as a job in this process outside the request path (like evaluations). Proposals are stored
// with `proposeTrainingAnnotations`, which never overwrites a person's or an imported annotation; they stay
// marked as the model version's until a member accepts (confirm), edits or rejects them.
//
// Billing: not metered. Like evaluations and training (DESIGN.md: "Training is free"), it runs a model of
// the workspace over images the workspace already stored in its own training set, to build training data;
// model tries and test runs are metered because they process images sent in the request.

/** Progress (and the proposals gathered meanwhile) is written at most this often. */
const PROGRESS_INTERVAL_MS = 250;

/** A prediction as a proposal, before the task's labels are checked: null when the model found nothing. */
export function proposalOf(
  prediction: TaskPrediction,
  image: { readonly width: number; readonly height: number },
): TrainingAnnotation | null {
  switch (prediction.type) {
    case "categorization":
      return { kind: "category", label: prediction.result.best_label.name };
    case "tagging": {
      // The decoder already kept the labels at or over the model's threshold.
      const tags = [...new Set(prediction.result.labels.map((l) => l.name))];
      return tags.length === 0 ? null : { kind: "tags", tags };
    }
    case "regression":
      return Number.isFinite(prediction.result) ? { kind: "value", value: prediction.result } : null;
    case "detection": {
      const clamp = (v: number, max: number) => Math.round(Math.min(Math.max(v, 0), max) * 100) / 100;
      const boxes: TrainingBox[] = [];
      for (const o of prediction.result) {
        const [x0, y0, x1, y1] = o.bound_box;
        const box = [clamp(x0, image.width), clamp(y0, image.height), clamp(x1, image.width), clamp(y1, image.height)];
        const [xmin, ymin, xmax, ymax] = box as [number, number, number, number];
        if (xmin < xmax && ymin < ymax) boxes.push({ label: o.name, box: [xmin, ymin, xmax, ymax] });
      }
      return boxes.length === 0 ? null : { kind: "boxes", boxes };
    }
  }
}

/** The labels a proposal names. */
function labelsOf(annotation: TrainingAnnotation): string[] {
  switch (annotation.kind) {
    case "category":
      return [annotation.label];
    case "tags":
      return [...annotation.tags];
    case "value":
      return [];
    case "boxes":
      return annotation.boxes.map((b) => b.label);
  }
}

/**
 * The proposal with only the labels in `known`: how many labels or boxes were dropped, and null when
 * nothing is left.
 */
export function keepKnownLabels(
  annotation: TrainingAnnotation,
  known: ReadonlySet<string>,
): { annotation: TrainingAnnotation | null; dropped: number } {
  switch (annotation.kind) {
    case "category":
      return known.has(annotation.label) ? { annotation, dropped: 0 } : { annotation: null, dropped: 1 };
    case "tags": {
      const tags = annotation.tags.filter((t) => known.has(t));
      const dropped = annotation.tags.length - tags.length;
      return { annotation: tags.length === 0 ? null : { kind: "tags", tags }, dropped };
    }
    case "value":
      return { annotation, dropped: 0 };
    case "boxes": {
      const boxes = annotation.boxes.filter((b) => known.has(b.label));
      const dropped = annotation.boxes.length - boxes.length;
      return { annotation: boxes.length === 0 ? null : { kind: "boxes", boxes }, dropped };
    }
  }
}

/** Runs of this process, so a cancel stops the next image at once (other processes see the row). */
const RUNNING = new Map<string, AbortController>();

/**
 * Records a run and starts it in this process; returns at once with the queued run, and `finished`
 * settles when it ended (done, failed or cancelled). The page polls the row for progress.
 * `addMissingLabels`: the task had no labels when the run was asked for, so the labels the model proposes
 * become the task's; otherwise proposals of labels the task lacks are dropped (and counted).
 */
export async function startPreannotation(
  database: Database,
  models: ModelServices,
  input: {
    readonly workspaceId: string;
    readonly taskId: string;
    readonly taskType: TaskType;
    readonly modelVersionId: string;
    readonly imageIds: readonly string[];
    readonly addMissingLabels: boolean;
    readonly createdBy: string;
  },
): Promise<{ run: PreannotationRunInfo; finished: Promise<void> }> {
  const run = await createPreannotationRun(database.db, input.workspaceId, input.taskId, input);
  const abort = new AbortController();
  RUNNING.set(run.id, abort);
  const finished = execute(database, models, input, run, abort.signal)
    .catch(async (error: unknown) => {
      console.error(`pre-annotation ${run.id} failed:`, error);
      await updatePreannotationRun(database.db, input.workspaceId, run.id, {
        status: "failed",
        error: error instanceof Error ? error.message : String(error),
      }).catch(() => undefined);
    })
    .finally(() => RUNNING.delete(run.id));
  return { run, finished };
}

/** Cancels a queued or running run; false when it had already finished. Proposals stored so far stay. */
export async function cancelPreannotation(database: Database, workspaceId: string, runId: string): Promise<boolean> {
  const applied = await updatePreannotationRun(database.db, workspaceId, runId, { status: "cancelled" });
  RUNNING.get(runId)?.abort();
  return applied;
}

async function execute(
  database: Database,
  models: ModelServices,
  input: Parameters<typeof startPreannotation>[2],
  run: PreannotationRunInfo,
  signal: AbortSignal,
): Promise<void> {
  const { db } = database;
  const { workspaceId, taskId } = input;
  if (!(await updatePreannotationRun(db, workspaceId, run.id, { status: "running" }))) return; // cancelled
  const items = new Map(
    (await findTrainingItems(db, workspaceId, taskId, run.imageIds)).map((i): [string, TrainingItemInfo] => [
      i.imageId,
      i,
    ]),
  );
  const counts = { processed: 0, proposed: 0, dropped: 0, failed: 0 };
  const failures: PreannotationFailure[] = [];
  let pending: { imageId: string; annotation: TrainingAnnotation }[] = [];
  let lastWrite = Date.now();

  /** Stores the proposals gathered so far and the progress; false once the run was cancelled. */
  const flush = async (): Promise<boolean> => {
    lastWrite = Date.now();
    const task = await findTask(db, workspaceId, taskId);
    if (!task) throw new Error("the task was deleted while the run went on");
    const known = new Set(task.labels);
    if (input.addMissingLabels) {
      const missing = [...new Set(pending.flatMap((p) => labelsOf(p.annotation)))].filter((l) => !known.has(l));
      if (missing.length > 0) {
        for (const l of (await addTaskLabels(db, workspaceId, taskId, missing)).labels) known.add(l);
      }
    }
    const proposals: { imageId: string; annotation: TrainingAnnotation }[] = [];
    for (const p of pending) {
      const kept = keepKnownLabels(p.annotation, known);
      counts.dropped += kept.dropped;
      if (kept.annotation) proposals.push({ imageId: p.imageId, annotation: kept.annotation });
    }
    pending = [];
    if (signal.aborted) return false;
    counts.proposed += await proposeTrainingAnnotations(db, workspaceId, taskId, input.modelVersionId, proposals);
    return updatePreannotationRun(db, workspaceId, run.id, { status: "running", ...counts, failures });
  };

  for (const imageId of run.imageIds) {
    if (signal.aborted) return;
    const item = items.get(imageId);
    try {
      if (!item) throw new Error("the image is no longer in the training set");
      const bytes = new Uint8Array(await new Response(await models.trainingImages.read(item.sha256)).arrayBuffer());
      const prediction = await models.runtime.predict(input.modelVersionId, await DecodedScopeImage.decode(bytes));
      if (prediction.type !== input.taskType) {
        throw new Error(`the model gives a ${prediction.type} result, not ${input.taskType}`);
      }
      const annotation = proposalOf(prediction, item);
      if (annotation) pending.push({ imageId, annotation });
    } catch (error) {
      counts.failed += 1;
      failures.push({
        imageId,
        fileName: item?.fileName ?? "",
        reason: error instanceof Error ? error.message : String(error),
      });
    }
    counts.processed += 1;
    if (Date.now() - lastWrite >= PROGRESS_INTERVAL_MS && !(await flush())) return;
  }
  if (!(await flush())) return;
  await updatePreannotationRun(db, workspaceId, run.id, { status: "done", ...counts, failures });
}

/** The run as the page shows it. */
export async function preannotationRunView(database: Database, workspaceId: string, runId: string) {
  const run = await findPreannotationRun(database.db, workspaceId, runId);
  if (!run) return undefined;
  return {
    id: run.id,
    taskId: run.taskId,
    modelVersionId: run.modelVersionId,
    status: run.status,
    processed: run.processed,
    total: run.total,
    proposed: run.proposed,
    dropped: run.dropped,
    failed: run.failed,
    failures: run.failures,
    error: run.error,
    createdAt: run.createdAt,
    finishedAt: run.finishedAt,
  };
}
