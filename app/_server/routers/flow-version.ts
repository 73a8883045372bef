import {
  deployFlowVersion,
  findFlow,
  findFlowVersion,
  FlowVersionConflictError,
  listFlowVersions,
  listMembers,
  putFlowDraft,
  saveFlowVersion,
} from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, workspaceProcedure } from "../trpc";
import { requireDeployableNesting, requireValidGraph } from "./flow-checks";
import { flowId, graphInput, versionMessage, versionNumber } from "./flow-inputs";

/** A stale save: the client reloads or saves on top of `latestVersion`. */
function conflict(error: FlowVersionConflictError): TRPCError {
  return new TRPCError({ code: "CONFLICT", message: error.message, cause: error });
}

export const flowVersionRouter = router({
  /** The flow's saved versions, newest first, with their author's name. */
  list: workspaceProcedure("viewer")
    .input(z.object({ flowId }))
    .query(async ({ ctx, input }) => {
      const db = ctx.database.db;
      const [versions, members] = await Promise.all([
        listFlowVersions(db, ctx.workspace.id, input.flowId),
        listMembers(db, ctx.workspace.id),
      ]);
      const names = new Map(members.map((m) => [m.userId, m.name]));
      return versions.map((v) => ({ ...v, authorName: names.get(v.createdBy) ?? "a former member" }));
    }),

  get: workspaceProcedure("viewer")
    .input(z.object({ flowId, version: versionNumber }))
    .query(async ({ ctx, input }) => {
      const saved = await findFlowVersion(ctx.database.db, ctx.workspace.id, input.flowId, input.version);
      if (!saved)
        throw new TRPCError({ code: "NOT_FOUND", message: `Version ${input.version} of this flow does not exist.` });
      return saved;
    }),

  /**
   * Saves the graph as the next version when it is valid. `expectedLatestVersion` is the version the draft
   * started from (0 for none); a save on top of a newer version is refused with CONFLICT, saving nothing.
   */
  save: workspaceProcedure("editor")
    .input(
      z.object({
        flowId,
        graph: graphInput,
        message: versionMessage,
        expectedLatestVersion: z.number().int().min(0),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const db = ctx.database.db;
      await requireValidGraph(db, ctx.workspace.id, input.flowId, input.graph);
      try {
        const saved = await saveFlowVersion(db, ctx.workspace.id, input.flowId, {
          graph: input.graph,
          message: input.message,
          createdBy: ctx.user.id,
          expectedLatestVersion: input.expectedLatestVersion,
        });
        await putFlowDraft(db, ctx.workspace.id, input.flowId, {
          graph: input.graph,
          baseVersion: saved.version,
          updatedBy: ctx.user.id,
        });
        return saved;
      } catch (error) {
        if (error instanceof FlowVersionConflictError) throw conflict(error);
        throw error;
      }
    }),

  /** Saves an old version's graph as a new version, and makes it the draft. */
  restore: workspaceProcedure("editor")
    .input(z.object({ flowId, version: versionNumber, expectedLatestVersion: z.number().int().min(0).optional() }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.database.db;
      const old = await findFlowVersion(db, ctx.workspace.id, input.flowId, input.version);
      if (!old)
        throw new TRPCError({ code: "NOT_FOUND", message: `Version ${input.version} of this flow does not exist.` });
      await requireValidGraph(db, ctx.workspace.id, input.flowId, old.graph);
      try {
        const saved = await saveFlowVersion(db, ctx.workspace.id, input.flowId, {
          graph: old.graph,
          message: `Restored version ${input.version}`,
          createdBy: ctx.user.id,
          ...(input.expectedLatestVersion === undefined ? {} : { expectedLatestVersion: input.expectedLatestVersion }),
        });
        await putFlowDraft(db, ctx.workspace.id, input.flowId, {
          graph: old.graph,
          baseVersion: saved.version,
          updatedBy: ctx.user.id,
        });
        return saved;
      } catch (error) {
        if (error instanceof FlowVersionConflictError) throw conflict(error);
        throw error;
      }
    }),

  /** Makes a version the one the flow's endpoint runs (`version` absent: takes the flow offline). */
  deploy: workspaceProcedure("editor")
    .input(z.object({ flowId, version: versionNumber.optional() }))
    .mutation(async ({ ctx, input }) => {
      if (input.version !== undefined) {
        await requireDeployableNesting(ctx.database.db, ctx.workspace.id, input.flowId, input.version);
      }
      await deployFlowVersion(ctx.database.db, ctx.workspace.id, input.flowId, input.version, ctx.user.id);
      const flow = await findFlow(ctx.database.db, ctx.workspace.id, input.flowId);
      return { deployedVersion: flow?.deployedVersion };
    }),
});
