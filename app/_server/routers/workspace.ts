import { createWorkspace, listWorkspacesOfUser, renameWorkspace } from "@vizflow/db";
import { z } from "zod";
import { authedProcedure, router, workspaceProcedure } from "../trpc";
import { workspaceName } from "./inputs";

export const workspaceRouter = router({
  /** The caller's workspaces with their role in each, oldest first. */
  list: authedProcedure.query(({ ctx }) => listWorkspacesOfUser(ctx.database.db, ctx.user.id)),

  /** Creates a workspace owned by the caller. */
  create: authedProcedure.input(z.object({ name: workspaceName })).mutation(async ({ ctx, input }) => {
    const workspace = await createWorkspace(ctx.database.db, { name: input.name, ownerId: ctx.user.id });
    return { id: workspace.id };
  }),

  get: workspaceProcedure("viewer").query(({ ctx }) => ctx.workspace),

  rename: workspaceProcedure("admin")
    .input(z.object({ name: workspaceName }))
    .mutation(({ ctx, input }) =>
      renameWorkspace(ctx.database.db, { workspaceId: ctx.workspace.id, name: input.name }),
    ),
});
