import { createApiToken, listApiTokens, revokeApiToken } from "@vizflow/db";
import { z } from "zod";
import { router, workspaceProcedure } from "../trpc";

/** API tokens: admins manage them; the key is returned once, by `create`, and never again. */
export const apiTokenRouter = router({
  list: workspaceProcedure("admin").query(async ({ ctx }) => {
    const tokens = await listApiTokens(ctx.database.db, ctx.workspace.id);
    return tokens.map((t) => ({
      id: t.id,
      name: t.name,
      prefix: t.prefix,
      createdAt: t.createdAt.toISOString(),
      lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
    }));
  }),

  create: workspaceProcedure("admin")
    .input(
      z.object({
        name: z.string().trim().min(1, "Give the token a name.").max(100, "Keep the name under 100 characters."),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const { token, key } = await createApiToken(ctx.database.db, ctx.workspace.id, {
        name: input.name,
        createdBy: ctx.user.id,
      });
      return { id: token.id, name: token.name, prefix: token.prefix, key };
    }),

  revoke: workspaceProcedure("admin")
    .input(z.object({ tokenId: z.string().min(1, "Choose a token.") }))
    .mutation(async ({ ctx, input }) => {
      await revokeApiToken(ctx.database.db, ctx.workspace.id, input.tokenId);
      return { tokenId: input.tokenId };
    }),
});
