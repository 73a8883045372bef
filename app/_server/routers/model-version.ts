import {
  activateModelVersion,
  findModelVersion,
  findTask,
  findTaskReferences,
  listModelVersions,
  type Database,
} from "@vizflow/db";
import { DecodedScopeImage, ImageError, ModelError, modelAdapterSchema } from "@vizflow/flow-engine";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { meteredModelTry } from "../metering";
import { modelServicesFor } from "../model-services";
import { router, workspaceProcedure } from "../trpc";
import { taskId } from "./task";

const modelVersionId = z.string().min(1, "Choose a model version.");

/** Flows whose deployed version runs the task: what activating another version changes for live callers. */
async function deployedFlowsUsing(database: Database, workspaceId: string, task: string) {
  const flows = await findTaskReferences(database.db, workspaceId, task);
  return flows
    .filter((f) => f.deployedVersionUses)
    .map((f) => ({ flowId: f.flowId, flowName: f.flowName, deployedVersion: f.deployedVersion }));
}

export const modelVersionRouter = router({
  /** The task's model versions, newest first. */
  list: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(({ ctx, input }) => listModelVersions(ctx.database.db, ctx.workspace.id, input.taskId)),

  /** What the adapter form is built from: the adapter's JSON Schema, the decoders, and the upload limit. */
  form: workspaceProcedure("viewer").query(async ({ ctx }) => {
    const models = await modelServicesFor(ctx.database);
    return {
      schema: modelAdapterSchema,
      decoders: models.runtime.decoders
        .list()
        .map((d) => ({ id: d.id, title: d.title, params: d.params, taskTypes: d.taskTypes })),
      maxModelBytes: models.limits.modelBytes,
      maxTestSetBytes: models.limits.testSetBytes,
    };
  }),

  /** Deployed flows that run the task (so the page can say what activating a version changes). */
  affectedFlows: workspaceProcedure("viewer")
    .input(z.object({ taskId }))
    .query(({ ctx, input }) => deployedFlowsUsing(ctx.database, ctx.workspace.id, input.taskId)),

  /** Makes the version the task's active one; returns the deployed flows that now run it. */
  activate: workspaceProcedure("editor")
    .input(z.object({ taskId, modelVersionId }))
    .mutation(async ({ ctx, input }) => {
      await activateModelVersion(ctx.database.db, ctx.workspace.id, input.taskId, input.modelVersionId);
      return { affectedFlows: await deployedFlowsUsing(ctx.database, ctx.workspace.id, input.taskId) };
    }),

  /**
   * Runs a version (the active one by default) on an image, in this process, with timing. Billed like
   * a one-model call (a usage row marked as a model try); nothing when it fails.
   */
  try: workspaceProcedure("viewer")
    .input(
      z.object({
        taskId,
        modelVersionId: modelVersionId.optional(),
        image: z.string().min(1, "Choose an image.").max(14_000_000, "The image is larger than 10 MB."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const task = await findTask(ctx.database.db, ctx.workspace.id, input.taskId);
      if (!task) throw new TRPCError({ code: "NOT_FOUND", message: "This task does not exist in this workspace." });
      const versionId = input.modelVersionId ?? task.activeModelVersionId;
      if (versionId === undefined) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: "This task has no active model version yet: upload one first.",
        });
      }
      const version = await findModelVersion(ctx.database.db, ctx.workspace.id, versionId);
      if (!version || version.taskId !== task.id) {
        throw new TRPCError({ code: "NOT_FOUND", message: "This model version is not a version of this task." });
      }
      const models = await modelServicesFor(ctx.database);
      const bytes = Buffer.from(input.image, "base64");
      const metered = { database: ctx.database, workspaceId: ctx.workspace.id, userId: ctx.user.id };
      const { value, credits, balance } = await meteredModelTry(metered, task.id, async () => {
        const started = performance.now();
        try {
          const image = await DecodedScopeImage.decode(bytes, { maxBytes: models.limits.imageBytes });
          const decodedAt = performance.now();
          const prediction = await models.runtime.predict(version.id, image);
          const finished = performance.now();
          return {
            modelVersionId: version.id,
            version: version.version,
            width: image.width,
            height: image.height,
            prediction,
            timing: { decodeMs: decodedAt - started, modelMs: finished - decodedAt, totalMs: finished - started },
          };
        } catch (error) {
          if (error instanceof ImageError)
            throw new TRPCError({ code: "BAD_REQUEST", message: error.message, cause: error });
          if (error instanceof ModelError) {
            throw new TRPCError({
              code: "UNPROCESSABLE_CONTENT",
              message: `The model could not run: ${error.message}`,
              cause: error,
            });
          }
          throw error;
        }
      });
      return { ...value, credits, balance };
    }),
});
