import { findMemberRole, listMembers, removeMember, roleAtLeast, updateMemberRole } from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, workspaceProcedure } from "../trpc";
import { role } from "./inputs";

const userId = z.string().min(1, "Choose a member.");

export const memberRouter = router({
  list: workspaceProcedure("viewer").query(async ({ ctx }) => {
    const members = await listMembers(ctx.database.db, ctx.workspace.id);
    return members.map((m) => ({ ...m, createdAt: m.createdAt.toISOString() }));
  }),

  /** Changes a member's role. Only an owner may make an owner or change an owner's role. */
  updateRole: workspaceProcedure("admin")
    .input(z.object({ userId, role }))
    .mutation(async ({ ctx, input }) => {
      const current = await findMemberRole(ctx.database.db, ctx.workspace.id, input.userId);
      if (current === undefined) throw new TRPCError({ code: "NOT_FOUND", message: "member not found" });
      if ((current === "owner" || input.role === "owner") && ctx.workspace.role !== "owner") {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: "Only an owner can make an owner or change an owner's role.",
        });
      }
      await updateMemberRole(ctx.database.db, {
        workspaceId: ctx.workspace.id,
        userId: input.userId,
        role: input.role,
      });
      return { userId: input.userId, role: input.role };
    }),

  /**
   * Removes a member: admins remove others (only an owner removes an owner); anyone may remove
   * themself, which is leaving. The last owner cannot go.
   */
  remove: workspaceProcedure("viewer")
    .input(z.object({ userId }))
    .mutation(async ({ ctx, input }) => {
      if (input.userId !== ctx.user.id) {
        if (!roleAtLeast(ctx.workspace.role, "admin")) {
          throw new TRPCError({ code: "FORBIDDEN", message: "Only an admin or owner can remove other members." });
        }
        const target = await findMemberRole(ctx.database.db, ctx.workspace.id, input.userId);
        if (target === undefined) throw new TRPCError({ code: "NOT_FOUND", message: "member not found" });
        if (target === "owner" && ctx.workspace.role !== "owner") {
          throw new TRPCError({ code: "FORBIDDEN", message: "Only an owner can remove an owner." });
        }
      }
      await removeMember(ctx.database.db, { workspaceId: ctx.workspace.id, userId: input.userId });
      return { userId: input.userId };
    }),
});
