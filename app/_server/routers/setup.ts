import { addInstanceOperator, createWorkspace, DataError, hasAnyUser, isSignUpOpen } from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { APIError } from "better-auth/api";
import { z } from "zod";
import { publicProcedure, router } from "../trpc";
import { email, password, personName, workspaceName } from "./inputs";

// better-auth's refusals of a sign-up, put on the field they are about.
const AUTH_ERROR_FIELDS: Readonly<Record<string, string>> = {
  USER_ALREADY_EXISTS: "email",
  USER_ALREADY_EXISTS_USE_ANOTHER_EMAIL: "email",
  INVALID_EMAIL: "email",
  PASSWORD_TOO_SHORT: "password",
  PASSWORD_TOO_LONG: "password",
};

export const setupRouter = router({
  /**
   * Whether the instance still needs its first-start setup (no account exists yet), and whether anyone may
   * sign up (otherwise accounts come by invitation).
   */
  status: publicProcedure.query(async ({ ctx }) => ({
    needsSetup: !(await hasAnyUser(ctx.database.db)),
    signUpOpen: await isSignUpOpen(ctx.database.db),
  })),

  /**
   * Creates the owner account (the instance operator), signs them in and creates the first workspace. Allowed only while no
   * account exists; the lock makes two simultaneous setups end with one owner.
   */
  complete: publicProcedure
    .input(z.object({ name: personName, email, password, workspaceName }))
    .mutation(({ ctx, input }) =>
      ctx.database.withLock("setup", async () => {
        if (await hasAnyUser(ctx.database.db)) {
          throw new TRPCError({ code: "FORBIDDEN", message: "Setup is already complete: sign in instead." });
        }
        const signUp = await ctx.auth.api
          .signUpEmail({
            body: { name: input.name, email: input.email, password: input.password },
            headers: ctx.headers,
            returnHeaders: true,
          })
          .catch((error: unknown) => {
            if (!(error instanceof APIError)) throw error;
            throw new DataError("BAD_REQUEST", error.message, AUTH_ERROR_FIELDS[String(error.body?.code)]);
          });
        const userId = signUp.response.user.id;
        let workspaceId: string;
        try {
          ({ id: workspaceId } = await createWorkspace(ctx.database.db, {
            name: input.workspaceName,
            ownerId: userId,
          }));
          await addInstanceOperator(ctx.database.db, { userId });
        } catch (error) {
          // Leave nothing behind: an owner without a workspace would block setup forever.
          await ctx.database.db.deleteFrom("instance_operator").where("user_id", "=", userId).execute();
          const internal = (await ctx.auth.$context).internalAdapter;
          await internal.deleteUserSessions(userId);
          await internal.deleteAccounts(userId);
          await internal.deleteUser(userId);
          throw error;
        }
        for (const cookie of signUp.headers.getSetCookie()) ctx.resHeaders.append("set-cookie", cookie);
        return { workspaceId };
      }),
    ),
});
