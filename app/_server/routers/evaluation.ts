import {
  deleteTestSet,
  findEvaluation,
  findEvaluationResults,
  listEvaluations,
  listTestSetImages,
  listTestSets,
} from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { startEvaluation } from "../evaluation-job";
import { modelServicesFor } from "../model-services";
import { router, workspaceProcedure } from "../trpc";
import { taskId } from "./task";

const testSetId = z.string().min(1, "Choose a test set.");
const evaluationId = z.string().min(1, "Choose an evaluation.");

export const evaluationRouter = router({
  /** The task's test sets, newest first (uploaded through the test-set route handler). */
  testSets: workspaceProcedure("viewer")
    .input(z.object({ taskId: taskId.optional() }))
    .query(({ ctx, input }) => listTestSets(ctx.database.db, ctx.workspace.id, input.taskId)),

  /** The images of a test set with what each truly shows. */
  testSetImages: workspaceProcedure("viewer")
    .input(z.object({ testSetId }))
    .query(async ({ ctx, input }) => {
      const images = await listTestSetImages(ctx.database.db, ctx.workspace.id, input.testSetId);
      return images.map((i) => ({ position: i.position, fileName: i.fileName, size: i.size, truth: i.truth }));
    }),

  /** Deletes a test set, its images (unless another set has the same bytes) and its evaluations. */
  deleteTestSet: workspaceProcedure("editor")
    .input(z.object({ testSetId }))
    .mutation(async ({ ctx, input }) => {
      const unused = await deleteTestSet(ctx.database.db, ctx.workspace.id, input.testSetId);
      const images = (await modelServicesFor(ctx.database)).testImages;
      for (const sha256 of unused) await images.delete(sha256);
      return { deleted: input.testSetId, imagesDeleted: unused.length };
    }),

  /** Starts running a model version over a test set; poll `get` for progress. */
  start: workspaceProcedure("editor")
    .input(z.object({ taskId, modelVersionId: z.string().min(1, "Choose a model version."), testSetId }))
    .mutation(async ({ ctx, input }) => {
      const { evaluation } = await startEvaluation(ctx.database, await modelServicesFor(ctx.database), {
        workspaceId: ctx.workspace.id,
        taskId: input.taskId,
        modelVersionId: input.modelVersionId,
        testSetId: input.testSetId,
        createdBy: ctx.user.id,
      });
      return evaluation;
    }),

  /** The task's evaluations with their metrics, newest first. */
  list: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(({ ctx, input }) => listEvaluations(ctx.database.db, ctx.workspace.id, input.taskId)),

  /** One evaluation with its per-image results once done. */
  get: workspaceProcedure("viewer")
    .input(z.object({ evaluationId }))
    .query(async ({ ctx, input }) => {
      const evaluation = await findEvaluation(ctx.database.db, ctx.workspace.id, input.evaluationId);
      if (!evaluation)
        throw new TRPCError({ code: "NOT_FOUND", message: "This evaluation does not exist in this workspace." });
      const results = await findEvaluationResults(ctx.database.db, ctx.workspace.id, input.evaluationId);
      return { ...evaluation, results: (results ?? []) as EvaluationResult[] };
    }),
});

/** One image of a finished evaluation, as the job stored it. */
export interface EvaluationResult {
  readonly position: number;
  readonly fileName: string;
  readonly correct: boolean;
  readonly truth: unknown;
  readonly predicted:
    | { readonly label: string; readonly prob: number }
    | { readonly labels: readonly string[] }
    | { readonly value: number }
    | { readonly objects: readonly { name: string; prob: number; box: [number, number, number, number] }[] }
    | { readonly error: string };
}
