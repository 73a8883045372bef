import {
  addTaskLabels,
  createTask,
  deleteTask,
  deleteTaskLabel,
  findTask,
  findTaskReferences,
  listTasks,
  modelFileInUse,
  pruneTrainingImages,
  renameTask,
  renameTaskLabel,
  taskBlobs,
  taskTrainingImageIds,
  TASK_TYPES,
  testImageInUse,
} from "@vizflow/db";
import { proposeLabelRenames, repeatedLabelsMessage, someLabels } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { deleteTrainingBlobs, modelServicesFor } from "../model-services";
import { router, workspaceProcedure } from "../trpc";

export const taskId = z.string().min(1, "Choose a task.");
const taskName = z.string().trim().min(1, "Enter a task name.").max(100, "Keep the name under 100 characters.");
const label = z.string().trim().min(1, "Labels cannot be blank.").max(200, "Keep labels under 200 characters.");
/** A list of labels: repeats are refused, never merged (each model output needs its own label). */
const labels = z
  .array(label)
  .max(10_000, "A task can have at most 10,000 labels.")
  .superRefine((names, ctx) => {
    const message = repeatedLabelsMessage(names);
    if (message !== undefined) ctx.addIssue({ code: "custom", message });
  });

/** Refuses new labels the task already has, proposing names it does not. */
function refuseTaken(existing: readonly string[], added: readonly string[]): void {
  const have = new Set(existing);
  const taken = added.filter((l) => have.has(l));
  if (taken.length === 0) return;
  const fix = proposeLabelRenames(added, existing)
    .slice(0, 3)
    .map((r) => `"${r.to}"`);
  throw new TRPCError({
    code: "CONFLICT",
    message: `The task already has the label${taken.length === 1 ? "" : "s"} ${someLabels(taken)}; rename the new one${taken.length === 1 ? "" : "s"}, e.g. ${fix.join(", ")}.`,
  });
}

function notFound(): TRPCError {
  return new TRPCError({
    code: "NOT_FOUND",
    message: "This task does not exist in this workspace (it may have been deleted).",
  });
}

export const taskRouter = router({
  /** The workspace's tasks by name; `search` matches names. */
  list: workspaceProcedure("viewer")
    .input(z.object({ search: z.string().max(100).optional(), type: z.enum(TASK_TYPES).optional() }))
    .query(({ ctx, input }) =>
      listTasks(ctx.database.db, ctx.workspace.id, {
        ...(input.search === undefined ? {} : { search: input.search }),
        ...(input.type === undefined ? {} : { type: input.type }),
      }),
    ),

  /** The task with the flows whose saved versions use it. */
  get: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(async ({ ctx, input }) => {
      const task = await findTask(ctx.database.db, ctx.workspace.id, input.taskId);
      if (!task) throw notFound();
      const flows = await findTaskReferences(ctx.database.db, ctx.workspace.id, task.id);
      return { ...task, flows };
    }),

  create: workspaceProcedure("editor")
    .input(z.object({ name: taskName, type: z.enum(TASK_TYPES, "Choose a task type."), labels: labels.default([]) }))
    .mutation(({ ctx, input }) => createTask(ctx.database.db, ctx.workspace.id, input)),

  rename: workspaceProcedure("editor")
    .input(z.object({ taskId, name: taskName }))
    .mutation(({ ctx, input }) => renameTask(ctx.database.db, ctx.workspace.id, input.taskId, input.name)),

  addLabels: workspaceProcedure("editor")
    .input(z.object({ taskId, labels: labels.min(1, "Enter at least one label.") }))
    .mutation(async ({ ctx, input }) => {
      const task = await findTask(ctx.database.db, ctx.workspace.id, input.taskId);
      if (!task) throw notFound();
      refuseTaken(task.labels, input.labels);
      return addTaskLabels(ctx.database.db, ctx.workspace.id, input.taskId, input.labels);
    }),

  renameLabel: workspaceProcedure("editor")
    .input(z.object({ taskId, label: z.string().min(1), name: label }))
    .mutation(({ ctx, input }) =>
      renameTaskLabel(ctx.database.db, ctx.workspace.id, input.taskId, input.label, input.name),
    ),

  /** Refused, naming the flows, while a saved flow version uses the label. */
  deleteLabel: workspaceProcedure("editor")
    .input(z.object({ taskId, label: z.string().min(1) }))
    .mutation(({ ctx, input }) => deleteTaskLabel(ctx.database.db, ctx.workspace.id, input.taskId, input.label)),

  /** Refused, naming the flows, while a saved flow version uses the task. */
  delete: workspaceProcedure("editor")
    .input(z.object({ taskId }))
    .mutation(async ({ ctx, input }) => {
      const models = await modelServicesFor(ctx.database);
      const blobs = await taskBlobs(ctx.database.db, ctx.workspace.id, input.taskId);
      const trainingImages = await taskTrainingImageIds(ctx.database.db, ctx.workspace.id, input.taskId);
      await deleteTask(ctx.database.db, ctx.workspace.id, input.taskId);
      // Training images stay while another task's set holds them (and their blobs while any workspace's do).
      await deleteTrainingBlobs(models, await pruneTrainingImages(ctx.database.db, ctx.workspace.id, trainingImages));
      // Content-addressed files go only when nothing else (another task, another set) has the same bytes.
      for (const sha256 of blobs.testImages) {
        if (!(await testImageInUse(ctx.database.db, sha256))) await models.testImages.delete(sha256);
      }
      for (const sha256 of blobs.modelFiles) {
        if (!(await modelFileInUse(ctx.database.db, sha256))) await models.blobs.delete(sha256);
      }
      return { deleted: input.taskId };
    }),
});
