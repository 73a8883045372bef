import {
  acceptInvitation,
  createInvitation,
  findInvitationByToken,
  listPendingInvitations,
  revokeInvitation,
} from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, publicProcedure, router, workspaceProcedure } from "../trpc";
import { role } from "./inputs";

const token = z.string().min(1, "The invitation link is incomplete.").max(200, "The invitation link is malformed.");

export const invitationRouter = router({
  /** Creates a link that makes whoever opens it (and signs in) a member; the token is shown only here. */
  create: workspaceProcedure("admin")
    .input(z.object({ role }))
    .mutation(async ({ ctx, input }) => {
      if (input.role === "owner" && ctx.workspace.role !== "owner") {
        throw new TRPCError({ code: "FORBIDDEN", message: "Only an owner can invite an owner." });
      }
      const invitation = await createInvitation(ctx.database.db, {
        workspaceId: ctx.workspace.id,
        role: input.role,
        createdBy: ctx.user.id,
      });
      return {
        id: invitation.id,
        url: `/invite/${invitation.token}`,
        expiresAt: invitation.expiresAt.toISOString(),
      };
    }),

  /** Invitations that can still be accepted, newest first. */
  list: workspaceProcedure("admin").query(async ({ ctx }) => {
    const invitations = await listPendingInvitations(ctx.database.db, ctx.workspace.id);
    return invitations.map((i) => ({
      id: i.id,
      role: i.role,
      createdAt: i.createdAt.toISOString(),
      expiresAt: i.expiresAt.toISOString(),
    }));
  }),

  revoke: workspaceProcedure("admin")
    .input(z.object({ invitationId: z.string().min(1, "Choose an invitation.") }))
    .mutation(async ({ ctx, input }) => {
      await revokeInvitation(ctx.database.db, { workspaceId: ctx.workspace.id, invitationId: input.invitationId });
      return { id: input.invitationId };
    }),

  /** What the invitation page shows before anyone signs in. */
  get: publicProcedure.input(z.object({ token })).query(async ({ ctx, input }) => {
    const invitation = await findInvitationByToken(ctx.database.db, input.token);
    if (!invitation) throw new TRPCError({ code: "NOT_FOUND", message: "This invitation link is not valid." });
    return { workspaceName: invitation.workspaceName, role: invitation.role, state: invitation.state };
  }),

  accept: authedProcedure
    .input(z.object({ token }))
    .mutation(({ ctx, input }) => acceptInvitation(ctx.database.db, { token: input.token, userId: ctx.user.id })),
});
