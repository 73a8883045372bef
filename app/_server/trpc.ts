import { DataError, findWorkspaceOfUser, roleAtLeast, type Role } from "@vizflow/db";
import { initTRPC, TRPCError } from "@trpc/server";
import { z } from "zod";
import type { Context } from "./context";
import { CreditShortfall } from "./credit-shortfall";

/** Per-field messages, keyed by the input field's path ("name", "email", "members.0.role"). */
export type FieldErrors = Record<string, string[]>;

interface IssueLike {
  readonly path?: readonly PropertyKey[] | readonly { readonly key: PropertyKey }[] | undefined;
  readonly message: string;
}

function hasIssues(value: unknown): value is { issues: readonly IssueLike[] } {
  return typeof value === "object" && value !== null && Array.isArray((value as { issues?: unknown }).issues);
}

/** Field errors carried by a failed call: zod's (or any standard schema's) issues, or a DataError's field. */
export function fieldErrorsOf(error: TRPCError): FieldErrors {
  const cause = error.cause;
  const errors: FieldErrors = {};
  if (cause instanceof DataError) {
    if (cause.field !== undefined) errors[cause.field] = [cause.message];
  } else if (hasIssues(cause)) {
    for (const issue of cause.issues) {
      const key = (issue.path ?? [])
        .map((segment) => (typeof segment === "object" ? segment.key : segment))
        .map(String)
        .join(".");
      (errors[key] ??= []).push(issue.message);
    }
  }
  return errors;
}

const t = initTRPC.context<Context>().create({
  errorFormatter({ shape, error }) {
    // A fault's own message may carry SQL or internals: the log has it, the user gets a plain one.
    // Invalid input: the issues' own messages, not tRPC's JSON dump of them.
    const fieldErrors = fieldErrorsOf(error);
    let message = shape.message;
    if (error.code === "INTERNAL_SERVER_ERROR") message = "Something went wrong on the server. Try again.";
    else if (hasIssues(error.cause)) message = Object.values(fieldErrors).flat().join(" ");
    // A refused test run or model try carries the balance, as the API's 402 does.
    const credits =
      error.cause instanceof CreditShortfall ? { balance: error.cause.balance, required: error.cause.required } : null;
    return { ...shape, message, data: { ...shape.data, fieldErrors, credits } };
  },
});

export const router = t.router;
export const createCallerFactory = t.createCallerFactory;

// Data-layer refusals (last owner, used invitation, ...) reach the client with their own code and
// message instead of as an internal error.
const dataErrors = t.middleware(async ({ next }) => {
  const result = await next();
  if (!result.ok && result.error.cause instanceof DataError) {
    const cause = result.error.cause;
    throw new TRPCError({ code: cause.code, message: cause.message, cause });
  }
  return result;
});

/** Anyone, signed in or not. */
export const publicProcedure = t.procedure.use(dataErrors);

/** A signed-in user; `ctx.user` is set. */
export const authedProcedure = publicProcedure.use(({ ctx, next }) => {
  if (ctx.user === null) throw new TRPCError({ code: "UNAUTHORIZED", message: "Sign in to continue." });
  return next({ ctx: { user: ctx.user } });
});

/**
 * A member of the input's `workspaceId` with at least `minimum` role; `ctx.workspace` is set. A
 * non-member gets NOT_FOUND, exactly as for a workspace that does not exist, so ids reveal nothing.
 */
export function workspaceProcedure(minimum: Role) {
  return authedProcedure
    .input(z.object({ workspaceId: z.string().min(1, "Choose a workspace.") }))
    .use(async ({ ctx, input, next }) => {
      const workspace = await findWorkspaceOfUser(ctx.database.db, input.workspaceId, ctx.user.id);
      if (!workspace) throw new TRPCError({ code: "NOT_FOUND", message: "workspace not found" });
      if (!roleAtLeast(workspace.role, minimum)) {
        throw new TRPCError({
          code: "FORBIDDEN",
          message: `This needs the ${minimum} role or higher in this workspace; you are ${workspace.role === "admin" ? "an" : "a"} ${workspace.role}.`,
        });
      }
      return next({ ctx: { workspace } });
    });
}
