import {
  addCredits,
  callsPerToken,
  creditsPerDayByFlow,
  getCreditAccount,
  listMembers,
  listRecentUsage,
  PLANS,
  setCreditPlan,
  type CreditAccount,
} from "@vizflow/db";
import { z } from "zod";
import { router, workspaceProcedure } from "../trpc";

function accountView(account: CreditAccount) {
  return {
    plan: account.plan,
    planTitle: PLANS[account.plan as keyof typeof PLANS]?.title ?? account.plan,
    monthlyAllowance: account.monthlyAllowance,
    bonus: account.bonus,
    used: account.used,
    held: account.held,
    balance: account.balance,
    periodStart: account.periodStart.toISOString(),
    periodEnd: account.periodEnd.toISOString(),
  };
}

/** Credits and usage of a workspace: every member reads them; admins change the plan or add credits. */
export const usageRouter = router({
  summary: workspaceProcedure("viewer").query(async ({ ctx }) => {
    const db = ctx.database.db;
    const account = await getCreditAccount(db, ctx.workspace.id);
    const [daily, tokens, recent, members] = await Promise.all([
      creditsPerDayByFlow(db, ctx.workspace.id, account.periodStart),
      callsPerToken(db, ctx.workspace.id, account.periodStart),
      listRecentUsage(db, ctx.workspace.id, 50),
      listMembers(db, ctx.workspace.id),
    ]);
    const memberNames = new Map(members.map((m) => [m.userId, m.name]));
    return {
      account: accountView(account),
      plans: Object.entries(PLANS).map(([id, p]) => ({ id, title: p.title, monthlyAllowance: p.monthlyAllowance })),
      daily: daily.map((d) => ({ ...d, flowId: d.flowId ?? null, flowName: d.flowName ?? null })),
      tokens: tokens.map((t) => ({ ...t, tokenId: t.tokenId ?? null, tokenName: t.tokenName ?? null })),
      recent: recent.map((r) => ({
        id: r.id,
        time: r.time.toISOString(),
        flowId: r.flowId ?? null,
        flowName: r.flowName ?? null,
        flowVersion: r.flowVersion ?? null,
        tokenName: r.tokenName ?? null,
        records: r.records,
        credits: r.credits,
        status: r.status,
        latencyMs: r.latencyMs,
        kind: r.kind,
        // Who ran a test run or a model try; someone who has left the workspace is not named.
        userName: r.userId === undefined ? null : (memberNames.get(r.userId) ?? "a former member"),
        taskName: r.taskName ?? null,
      })),
    };
  }),

  setPlan: workspaceProcedure("admin")
    .input(
      z.object({
        plan: z.string().min(1, "Choose a plan."),
        monthlyAllowance: z.number().int("Use a whole number of credits.").min(0).optional(),
      }),
    )
    .mutation(async ({ ctx, input }) =>
      accountView(await setCreditPlan(ctx.database.db, ctx.workspace.id, input.plan, input.monthlyAllowance)),
    ),

  addCredits: workspaceProcedure("admin")
    .input(z.object({ amount: z.number().int("Use a whole number of credits.").min(1, "Add at least 1 credit.") }))
    .mutation(async ({ ctx, input }) => accountView(await addCredits(ctx.database.db, ctx.workspace.id, input.amount))),
});
