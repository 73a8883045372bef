import {
  callsPerToken,
  creditsPerDayByFlow,
  getCreditAccount,
  listMembers,
  listRecentUsage,
  PLANS,
  type CreditAccount,
} from "@vizflow/db";
import { router, workspaceProcedure } from "../trpc";

export function accountView(account: CreditAccount) {
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

/**
 * Credits and usage of a workspace: every member reads them. Plans and credit grants are the instance
 * operator's (the instance router), never a workspace admin's.
 */
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
});
