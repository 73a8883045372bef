import {
  annotationQueue,
  appendTestSetImages,
  confirmTrainingItems,
  countTrainingSet,
  createAnnotationJobs,
  createTestSet,
  DataError,
  findModelVersion,
  findTask,
  findTrainingItems,
  listAnnotationJobs,
  listModelVersions,
  listTasks,
  listTrainingItems,
  rejectTrainingProposals,
  removeTrainingItems,
  setChecksRequired,
  setTrainingAnnotations,
  TRAINING_STATUSES,
  type Database,
  type TaskInfo,
  type TrainingItemInfo,
} from "@vizflow/db";
import type { TrainingAnnotation } from "@vizflow/flow-engine";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { deleteTrainingBlobs, modelServicesFor } from "../model-services";
import {
  annotationProblem,
  labelWarning,
  NEGATIVE_TAG,
  setWarning,
  TRAINING_MINIMUMS,
  trainingAnnotationSchema,
  truthOf,
} from "../training-annotation";
import { cancelPreannotation, preannotationRunView, startPreannotation } from "../preannotation-job";
import { signTrainingImageLink, trainingLinkSecret } from "../training-links";
import { router, workspaceProcedure } from "../trpc";
import { taskId } from "./task";

const imageIds = z
  .array(z.string().min(1))
  .min(1, "Select at least one image.")
  .max(10_000, "Select at most 10,000 images at once.");

const bulkAction = z.discriminatedUnion("kind", [
  z.object({ kind: z.literal("setLabel"), label: z.string().trim().min(1, "Choose a label.") }),
  z.object({ kind: z.literal("addTag"), tag: z.string().trim().min(1, "Choose a tag.") }),
  z.object({ kind: z.literal("removeTag"), tag: z.string().trim().min(1, "Choose a tag.") }),
  z.object({ kind: z.literal("delete") }),
  z.object({
    kind: z.literal("moveToTestSet"),
    /** An existing test set of the task, or `testSetName` for a new one. */
    testSetId: z.string().min(1).optional(),
    testSetName: z.string().trim().min(1).max(100).optional(),
  }),
]);

async function requireTask(database: Database, workspaceId: string, id: string): Promise<TaskInfo> {
  const task = await findTask(database.db, workspaceId, id);
  if (!task) {
    throw new TRPCError({
      code: "NOT_FOUND",
      message: "This task does not exist in this workspace (it may have been deleted).",
    });
  }
  return task;
}

function bad(message: string, field = "annotation"): DataError {
  return new DataError("BAD_REQUEST", message, field);
}

/** Items with links the browser can load (signed, valid for up to an hour). */
async function withLinks(database: Database, workspaceId: string, items: readonly TrainingItemInfo[]) {
  const secret = await trainingLinkSecret(database);
  return items.map((item) => ({
    ...item,
    thumbnailUrl: signTrainingImageLink(secret, { workspaceId, imageId: item.imageId, variant: "thumbnail" }),
    imageUrl: signTrainingImageLink(secret, { workspaceId, imageId: item.imageId, variant: "full" }),
  }));
}

/** The annotation a bulk action gives an item, or `unchanged`. */
function bulkAnnotation(
  task: TaskInfo,
  item: TrainingItemInfo,
  action: { kind: "setLabel"; label: string } | { kind: "addTag" | "removeTag"; tag: string },
): TrainingAnnotation | null | "unchanged" {
  const current = item.proposed ? null : (item.annotation as TrainingAnnotation | null);
  if (action.kind === "setLabel") {
    if (task.type === "categorization") return { kind: "category", label: action.label };
    if (task.type === "tagging") return { kind: "tags", tags: [action.label] };
    throw bad("Set label is for categorization and tagging tasks; annotate boxes and values in the annotator.");
  }
  if (task.type !== "tagging") throw bad("Tags are for tagging tasks.");
  const tags = current?.kind === "tags" ? current.tags : [];
  if (action.kind === "addTag") {
    if (tags.includes(action.tag)) return "unchanged";
    // Negative means none of the labels: it replaces the tags, and a real tag replaces it.
    if (action.tag === NEGATIVE_TAG) return { kind: "tags", tags: [NEGATIVE_TAG] };
    return { kind: "tags", tags: [...tags.filter((t) => t !== NEGATIVE_TAG), action.tag] };
  }
  if (!tags.includes(action.tag)) return "unchanged";
  const rest = tags.filter((t) => t !== action.tag);
  return rest.length === 0 ? null : { kind: "tags", tags: rest };
}

/** Why a model version of `source` cannot pre-annotate `target`, or undefined when it can. */
function unusableReason(target: TaskInfo, source: TaskInfo): string | undefined {
  if (source.type !== target.type) {
    return `A ${source.type} model cannot propose annotations for a ${target.type} task.`;
  }
  if (source.id !== target.id && target.labels.length > 0 && !source.labels.some((l) => target.labels.includes(l))) {
    return `None of its labels (${source.labels.slice(0, 5).join(", ")}${source.labels.length > 5 ? ", …" : ""}) is a label of this task.`;
  }
  return undefined;
}

const runId = z.string().min(1, "Choose a pre-annotation run.");

function runNotFound(): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: "This pre-annotation run does not exist in this workspace." });
}

export const trainingSetRouter = router({
  /**
   * A page of the task's training set, in the order images were added, each with signed `thumbnailUrl`
   * and `imageUrl`. Filters: a label (category, tag or box label), a status (`unlabelled` also covers
   * model proposals not yet accepted), proposals only or none, part of the file name.
   */
  list: workspaceProcedure("viewer")
    .input(
      z.object({
        taskId,
        label: z.string().min(1).optional(),
        status: z.enum(TRAINING_STATUSES).optional(),
        proposed: z.boolean().optional(),
        search: z.string().max(200).optional(),
        cursor: z.number().int().nonnegative().nullish(),
        limit: z.number().int().min(1).max(500).default(100),
      }),
    )
    .query(async ({ ctx, input }) => {
      const page = await listTrainingItems(ctx.database.db, ctx.workspace.id, input.taskId, {
        limit: input.limit,
        ...(input.cursor == null ? {} : { after: input.cursor }),
        ...(input.label === undefined ? {} : { label: input.label }),
        ...(input.status === undefined ? {} : { status: input.status }),
        ...(input.proposed === undefined ? {} : { proposed: input.proposed }),
        ...(input.search === undefined ? {} : { search: input.search }),
      });
      return { items: await withLinks(ctx.database, ctx.workspace.id, page.items), nextCursor: page.nextCursor };
    }),

  /** Some items by id (the annotator's current image and its neighbours), with signed links. */
  get: workspaceProcedure("viewer")
    .input(z.object({ taskId, imageIds }))
    .query(async ({ ctx, input }) =>
      withLinks(
        ctx.database,
        ctx.workspace.id,
        await findTrainingItems(ctx.database.db, ctx.workspace.id, input.taskId, input.imageIds),
      ),
    ),

  /**
   * Counts by status and per label, and the warnings of labels with too few images (boxes, for
   * detection; images with a value in all, for regression) to train: `minimum` is what a label needs.
   */
  counts: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(async ({ ctx, input }) => {
      const task = await requireTask(ctx.database, ctx.workspace.id, input.taskId);
      const counts = await countTrainingSet(ctx.database.db, ctx.workspace.id, input.taskId);
      const perLabel = counts.perLabel.map((c) => ({ ...c, warning: labelWarning(task.type, c) ?? null }));
      const warnings = [
        setWarning(task.type, counts.annotated),
        ...perLabel.filter((c) => task.labels.includes(c.label)).map((c) => c.warning),
      ].filter((w): w is string => typeof w === "string");
      return { ...counts, perLabel, warnings, minimum: TRAINING_MINIMUMS[task.type] };
    }),

  /** A member's annotation of one image (null clears it); it counts as their confirmation. */
  setAnnotation: workspaceProcedure("editor")
    .input(z.object({ taskId, imageId: z.string().min(1), annotation: trainingAnnotationSchema.nullable() }))
    .mutation(async ({ ctx, input }) => {
      const task = await requireTask(ctx.database, ctx.workspace.id, input.taskId);
      const [item] = await findTrainingItems(ctx.database.db, ctx.workspace.id, input.taskId, [input.imageId]);
      if (!item) throw new DataError("NOT_FOUND", "This image is not in the task's training set (deleted meanwhile?).");
      if (input.annotation !== null) {
        const problem = annotationProblem(task, item, input.annotation);
        if (problem !== undefined) throw bad(problem);
      }
      await setTrainingAnnotations(ctx.database.db, ctx.workspace.id, input.taskId, ctx.user.id, [
        { imageId: input.imageId, annotation: input.annotation },
      ]);
      const [updated] = await findTrainingItems(ctx.database.db, ctx.workspace.id, input.taskId, [input.imageId]);
      return (await withLinks(ctx.database, ctx.workspace.id, updated ? [updated] : []))[0];
    }),

  /**
   * One action on selected images: set the label, add or remove a tag, delete them from the set, or move
   * them into a test set of the task (they leave the training set: the two never share an image).
   */
  bulk: workspaceProcedure("editor")
    .input(z.object({ taskId, imageIds, action: bulkAction }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.database;
      const workspaceId = ctx.workspace.id;
      const task = await requireTask(ctx.database, workspaceId, input.taskId);
      const items = await findTrainingItems(db, workspaceId, input.taskId, input.imageIds);
      if (items.length < new Set(input.imageIds).size) {
        throw new DataError(
          "NOT_FOUND",
          "Some selected images are no longer in the training set; reload and try again.",
        );
      }
      const models = await modelServicesFor(ctx.database);
      const action = input.action;
      if (action.kind === "delete") {
        const { removed, unusedBlobs } = await removeTrainingItems(db, workspaceId, input.taskId, input.imageIds);
        await deleteTrainingBlobs(models, unusedBlobs);
        return { changed: removed };
      }
      if (action.kind === "moveToTestSet") {
        const unannotated = items.filter((i) => i.annotation === null || i.proposed);
        if (unannotated.length > 0) {
          throw bad(
            `A test set needs annotated images: ${unannotated
              .slice(0, 3)
              .map((i) => i.fileName)
              .join(
                ", ",
              )}${unannotated.length > 3 ? ` and ${unannotated.length - 3} more` : ""} ${unannotated.length === 1 ? "has" : "have"} no annotation (or only a proposal).`,
            "imageIds",
          );
        }
        if ((action.testSetId === undefined) === (action.testSetName === undefined)) {
          throw bad("Choose a test set of the task, or name a new one.", "testSetId");
        }
        const images = [];
        for (const item of items) {
          const blob = await models.testImages.put(await models.trainingImages.read(item.sha256));
          images.push({
            fileName: item.fileName,
            sha256: blob.sha256,
            size: blob.size,
            truth: truthOf(item.annotation as TrainingAnnotation),
          });
        }
        const testSet =
          action.testSetId !== undefined
            ? await appendTestSetImages(db, workspaceId, input.taskId, action.testSetId, images)
            : await createTestSet(db, workspaceId, input.taskId, {
                name: action.testSetName as string,
                createdBy: ctx.user.id,
                images,
              });
        const { removed, unusedBlobs } = await removeTrainingItems(db, workspaceId, input.taskId, input.imageIds);
        await deleteTrainingBlobs(models, unusedBlobs);
        return { changed: removed, testSetId: testSet.id };
      }
      const known = new Set(task.labels);
      const name = action.kind === "setLabel" ? action.label : action.tag;
      if (!known.has(name) && !(action.kind !== "setLabel" && name === NEGATIVE_TAG)) {
        throw bad(`The task has no label "${name}"; add it to the task first.`, "label");
      }
      const updates: { imageId: string; annotation: TrainingAnnotation | null }[] = [];
      for (const item of items) {
        const annotation = bulkAnnotation(task, item, action);
        if (annotation !== "unchanged") updates.push({ imageId: item.imageId, annotation });
      }
      await setTrainingAnnotations(db, workspaceId, input.taskId, ctx.user.id, updates);
      return { changed: updates.length };
    }),

  /** The member confirms the images' annotations; confirming a model's proposal accepts it. */
  confirm: workspaceProcedure("editor")
    .input(z.object({ taskId, imageIds }))
    .mutation(async ({ ctx, input }) => {
      await confirmTrainingItems(ctx.database.db, ctx.workspace.id, input.taskId, ctx.user.id, input.imageIds);
      return { confirmed: new Set(input.imageIds).size };
    }),

  /** Rejects model proposals (those images become unlabelled); others are left alone. */
  rejectProposals: workspaceProcedure("editor")
    .input(z.object({ taskId, imageIds }))
    .mutation(async ({ ctx, input }) => ({
      rejected: await rejectTrainingProposals(ctx.database.db, ctx.workspace.id, input.taskId, input.imageIds),
    })),

  /** How many different members must confirm an image before it is verified. */
  setChecksRequired: workspaceProcedure("admin")
    .input(
      z.object({ taskId, checksRequired: z.number().int().min(1, "At least 1 check.").max(10, "At most 10 checks.") }),
    )
    .mutation(async ({ ctx, input }) => {
      await setChecksRequired(ctx.database.db, ctx.workspace.id, input.taskId, input.checksRequired);
      return { checksRequired: input.checksRequired };
    }),

  /** Splits unlabelled (or not yet verified) images no job holds into jobs of `size`, dealt to members. */
  createJobs: workspaceProcedure("admin")
    .input(
      z.object({
        taskId,
        assignees: z.array(z.string().min(1)).min(1, "Choose at least one member."),
        scope: z.enum(["unlabelled", "unverified"]).default("unlabelled"),
        size: z.number().int().min(1).max(10_000).default(100),
      }),
    )
    .mutation(({ ctx, input }) =>
      createAnnotationJobs(ctx.database.db, ctx.workspace.id, input.taskId, {
        assignees: input.assignees,
        scope: input.scope,
        size: input.size,
        createdBy: ctx.user.id,
      }),
    ),

  /**
   * The task's jobs (or the member's own, with `mine`) with their progress; without `taskId`, the
   * workspace's (the tasks page lists the member's own with it).
   */
  jobs: workspaceProcedure("viewer")
    .input(z.object({ taskId: taskId.optional(), mine: z.boolean().default(false) }))
    .query(({ ctx, input }) =>
      listAnnotationJobs(ctx.database.db, ctx.workspace.id, {
        ...(input.taskId === undefined ? {} : { taskId: input.taskId }),
        ...(input.mine ? { assigneeId: ctx.user.id } : {}),
      }),
    ),

  /** "My queue": the images of the member's jobs they have not confirmed yet and that are not verified. */
  myQueue: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(async ({ ctx, input }) =>
      withLinks(
        ctx.database,
        ctx.workspace.id,
        await annotationQueue(ctx.database.db, ctx.workspace.id, input.taskId, ctx.user.id),
      ),
    ),

  /**
   * The model versions that can pre-annotate the task: the task's own, and other tasks' of the same type
   * (a detector of another task for a new detection task). Each says why not when it cannot, and
   * `missingLabels`: its labels this task lacks (added to a task without labels, dropped otherwise).
   */
  preannotationModels: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(async ({ ctx, input }) => {
      const { db } = ctx.database;
      const task = await requireTask(ctx.database, ctx.workspace.id, input.taskId);
      const tasks = await listTasks(db, ctx.workspace.id);
      const own = new Set(task.labels);
      const out = [];
      for (const source of [task, ...tasks.filter((t) => t.id !== task.id)]) {
        const reason = unusableReason(task, source);
        for (const version of await listModelVersions(db, ctx.workspace.id, source.id)) {
          out.push({
            modelVersionId: version.id,
            taskId: source.id,
            taskName: source.name,
            taskType: source.type,
            version: version.version,
            active: version.active,
            sameTask: source.id === task.id,
            usable: reason === undefined,
            reason: reason ?? null,
            missingLabels: source.id === task.id ? [] : source.labels.filter((l) => !own.has(l)),
            labelsAdded: source.id !== task.id && task.labels.length === 0,
          });
        }
      }
      return out;
    }),

  /**
   * Starts a model version proposing annotations for the images, as a job; poll `preannotationRun`.
   * Images holding a person's or an imported annotation keep it. Not metered (see preannotation-job.ts).
   */
  preannotate: workspaceProcedure("editor")
    .input(z.object({ taskId, modelVersionId: z.string().min(1, "Choose a model version."), imageIds }))
    .mutation(async ({ ctx, input }) => {
      const { db } = ctx.database;
      const task = await requireTask(ctx.database, ctx.workspace.id, input.taskId);
      const version = await findModelVersion(db, ctx.workspace.id, input.modelVersionId);
      const source = version && (await findTask(db, ctx.workspace.id, version.taskId));
      if (!version || !source) {
        throw new TRPCError({ code: "NOT_FOUND", message: "This model version does not exist in this workspace." });
      }
      const reason = unusableReason(task, source);
      if (reason !== undefined) throw new TRPCError({ code: "BAD_REQUEST", message: reason });
      const { run } = await startPreannotation(ctx.database, await modelServicesFor(ctx.database), {
        workspaceId: ctx.workspace.id,
        taskId: task.id,
        taskType: task.type,
        modelVersionId: version.id,
        imageIds: input.imageIds,
        addMissingLabels: source.id !== task.id && task.labels.length === 0,
        createdBy: ctx.user.id,
      });
      return { runId: run.id };
    }),

  /** A run's status and progress: images processed of total, proposed, labels/boxes dropped, failures. */
  preannotationRun: workspaceProcedure("viewer")
    .input(z.object({ runId }))
    .query(async ({ ctx, input }) => {
      const run = await preannotationRunView(ctx.database, ctx.workspace.id, input.runId);
      if (!run) throw runNotFound();
      return run;
    }),

  /** Stops a queued or running run; the proposals it stored so far stay (reject them to undo). */
  cancelPreannotation: workspaceProcedure("editor")
    .input(z.object({ runId }))
    .mutation(async ({ ctx, input }) => {
      const run = await preannotationRunView(ctx.database, ctx.workspace.id, input.runId);
      if (!run) throw runNotFound();
      const cancelled = await cancelPreannotation(ctx.database, ctx.workspace.id, input.runId);
      return { cancelled, status: cancelled ? ("cancelled" as const) : run.status };
    }),
});
