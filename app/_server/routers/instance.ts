import {
  addCredits,
  creditAmountMessage,
  isInstanceOperator,
  isSignUpOpen,
  listInstanceOperators,
  listWorkspaceCredits,
  MAX_CREDIT_AMOUNT,
  nameInstanceOperator,
  PLANS,
  removeInstanceOperator,
  setCreditPlan,
  setSignUpOpen,
} from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { authedProcedure, router } from "../trpc";
import { email } from "./inputs";
import { accountView } from "./usage";

/**
 * The instance operator (the owner created at setup, or someone an operator named); `what` says what was
 * refused to anyone else, a workspace's admins and owners included.
 */
function operatorProcedure(what: string) {
  return authedProcedure.use(async ({ ctx, next }) => {
    if (!(await isInstanceOperator(ctx.database.db, ctx.user.id))) {
      throw new TRPCError({
        code: "FORBIDDEN",
        message: `Only an operator of this instance can ${what}; a workspace's admins and owners cannot. Ask the instance operator.`,
      });
    }
    return next();
  });
}

const workspaceId = z.string().min(1, "Choose a workspace.");
/** A whole number of credits from `min` to MAX_CREDIT_AMOUNT (documented in the README), refused with one message. */
function creditAmount(min: number, message: string) {
  return z
    .number({ message })
    .refine((n) => Number.isSafeInteger(n) && n >= min && n <= MAX_CREDIT_AMOUNT, { message, abort: true });
}
const grantAmount = creditAmount(1, creditAmountMessage("grant"));
const allowance = creditAmount(0, creditAmountMessage("allowance"));

/** What the instance operator runs: plans and credits of every workspace, sign-up, the operators. */
export const instanceRouter = router({
  /** Whether the signed-in user operates the instance (the app links the Instance page for them). */
  me: authedProcedure.query(async ({ ctx }) => ({ operator: await isInstanceOperator(ctx.database.db, ctx.user.id) })),

  overview: operatorProcedure("see the instance's workspaces and credits").query(async ({ ctx }) => {
    const db = ctx.database.db;
    const [workspaces, operators, signUpOpen] = await Promise.all([
      listWorkspaceCredits(db),
      listInstanceOperators(db),
      isSignUpOpen(db),
    ]);
    return {
      signUpOpen,
      maxCreditAmount: MAX_CREDIT_AMOUNT,
      plans: Object.entries(PLANS).map(([id, p]) => ({ id, title: p.title, monthlyAllowance: p.monthlyAllowance })),
      workspaces: workspaces.map((w) => ({
        id: w.workspaceId,
        name: w.name,
        createdAt: w.createdAt.toISOString(),
        account: accountView(w.account),
      })),
      operators: operators.map((o) => ({
        userId: o.userId,
        name: o.name,
        email: o.email,
        createdAt: o.createdAt.toISOString(),
        you: o.userId === ctx.user.id,
      })),
    };
  }),

  /** Adds credits to a workspace's current period. */
  grantCredits: operatorProcedure("grant credits")
    .input(z.object({ workspaceId, amount: grantAmount }))
    .mutation(async ({ ctx, input }) =>
      accountView(await addCredits(ctx.database.db, await existing(ctx.database.db, input.workspaceId), input.amount)),
    ),

  /** Changes a workspace's plan; `monthlyAllowance` overrides the plan's own (a custom deal). */
  setPlan: operatorProcedure("change a workspace's plan")
    .input(z.object({ workspaceId, plan: z.string().min(1, "Choose a plan."), monthlyAllowance: allowance.optional() }))
    .mutation(async ({ ctx, input }) =>
      accountView(
        await setCreditPlan(
          ctx.database.db,
          await existing(ctx.database.db, input.workspaceId),
          input.plan,
          input.monthlyAllowance,
        ),
      ),
    ),

  /** Opens sign-up to anyone, or closes it again (accounts then come by invitation only). */
  setSignUpOpen: operatorProcedure("open or close sign-up")
    .input(z.object({ open: z.boolean() }))
    .mutation(async ({ ctx, input }) => {
      await setSignUpOpen(ctx.database.db, input.open);
      return { signUpOpen: input.open };
    }),

  /** Names the account with this email an operator too. */
  addOperator: operatorProcedure("name operators")
    .input(z.object({ email }))
    .mutation(({ ctx, input }) => nameInstanceOperator(ctx.database.db, { email: input.email, addedBy: ctx.user.id })),

  /** Removes an operator (never the last one). */
  removeOperator: operatorProcedure("remove operators")
    .input(z.object({ userId: z.string().min(1, "Choose an operator.") }))
    .mutation(async ({ ctx, input }) => {
      await removeInstanceOperator(ctx.database.db, input.userId);
      return { userId: input.userId };
    }),
});

async function existing(db: Parameters<typeof listWorkspaceCredits>[0], id: string): Promise<string> {
  const row = await db.selectFrom("workspace").select("id").where("id", "=", id).executeTakeFirst();
  if (!row) throw new TRPCError({ code: "NOT_FOUND", message: "workspace not found" });
  return row.id;
}
