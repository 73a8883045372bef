"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../_server/routers/_app";
import { useTRPC } from "@/_lib/trpc";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/field";
import { useWorkspace } from "../shell/workspace-context";
import { formatDate } from "../members/format";
import { PageLoading } from "../loading";
import { CreditsChart } from "./credits-chart";

const number = new Intl.NumberFormat("en");
const time = new Intl.DateTimeFormat("en", {
  month: "short",
  day: "numeric",
  hour: "2-digit",
  minute: "2-digit",
  second: "2-digit",
});

type UsageKind = inferRouterOutputs<AppRouter>["usage"]["summary"]["recent"][number]["kind"];

/** What a row of "Calls per token" counts: a token's calls, or the members' test runs and model tries. */
function sourceTitle(kind: UsageKind, tokenId: string | null, tokenName: string | null): string {
  if (kind === "test_run") return "Test runs in the editor";
  if (kind === "model_try") return "Model tries on task pages";
  return tokenName ?? (tokenId === null ? "No token" : "Deleted token");
}

/** Who made a recent request: the token of a call, the member of a test run or a model try. */
function requestSource(r: { kind: UsageKind; tokenName: string | null; userName: string | null }): string {
  if (r.kind === "test_run") return `Test run · ${r.userName ?? "a member"}`;
  if (r.kind === "model_try") return `Model try · ${r.userName ?? "a member"}`;
  return r.tokenName ?? "Deleted token";
}

/** Where plans and credits come from: the instance operator, who gets a link to the Instance page. */
function CreditsSource() {
  const trpc = useTRPC();
  const me = useQuery(trpc.instance.me.queryOptions());
  return (
    <p className="border-t pt-4 text-sm text-muted-foreground" data-credits-source>
      Plans and credits are granted by the operator of this instance, not by the workspace&apos;s admins.{" "}
      {me.data?.operator === true && (
        <Link href="/instance" className="font-medium text-primary hover:underline">
          Grant credits or change the plan on the Instance page
        </Link>
      )}
    </p>
  );
}

export function UsageView() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const summary = useQuery(trpc.usage.summary.queryOptions({ workspaceId: workspace.id }, { refetchInterval: 15_000 }));
  if (summary.error) return <FormError message={summary.error.message} />;
  if (summary.data === undefined) return <PageLoading />;
  const { account, daily, tokens, recent } = summary.data;
  const total = account.monthlyAllowance + account.bonus;
  const usedShare = total === 0 ? 1 : Math.min(1, (account.used + account.held) / total);

  return (
    <div className="grid gap-6">
      <Card>
        <CardHeader>
          <CardTitle>Balance</CardTitle>
          <CardDescription>
            {account.planTitle} plan · period {formatDate(account.periodStart)} to {formatDate(account.periodEnd)} (a
            new period starts with the full allowance)
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <div className="flex flex-wrap items-end gap-x-8 gap-y-2">
            <div>
              <div className="text-3xl font-semibold tabular-nums" data-testid="credit-balance">
                {number.format(account.balance)}
              </div>
              <div className="text-sm text-muted-foreground">credits left</div>
            </div>
            <div className="text-sm text-muted-foreground">
              <span data-testid="credits-used">{number.format(account.used)}</span> used of {number.format(total)}
              {account.bonus > 0 &&
                ` (${number.format(account.monthlyAllowance)} monthly + ${number.format(account.bonus)} added)`}
              {account.held > 0 && ` · ${number.format(account.held)} held by running requests`}
            </div>
          </div>
          <div className="h-2 overflow-hidden rounded-full bg-muted" aria-hidden>
            <div className="h-full bg-primary" style={{ width: `${usedShare * 100}%` }} />
          </div>
          <CreditsSource />
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Credits per day</CardTitle>
          <CardDescription>This period, stacked by flow.</CardDescription>
        </CardHeader>
        <CardContent>
          {daily.length === 0 ? (
            <p className="text-sm text-muted-foreground">Nothing has been processed this period.</p>
          ) : (
            <CreditsChart daily={daily} periodStart={account.periodStart} />
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Calls per token</CardTitle>
          <CardDescription>
            Requests this period, by the API token that made them; test runs and model tries are billed like calls.
          </CardDescription>
        </CardHeader>
        <CardContent>
          {tokens.length === 0 ? (
            <p className="text-sm text-muted-foreground">No calls this period.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 font-medium">Source</th>
                  <th className="py-2 text-right font-medium">Calls</th>
                  <th className="py-2 text-right font-medium">Credits</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {tokens.map((t) => (
                  <tr key={`${t.kind}:${t.tokenId ?? "none"}`} data-source={t.kind}>
                    <td className="py-2">{sourceTitle(t.kind, t.tokenId, t.tokenName)}</td>
                    <td className="py-2 text-right tabular-nums">{number.format(t.calls)}</td>
                    <td className="py-2 text-right tabular-nums">{number.format(t.credits)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>

      <Card>
        <CardHeader>
          <CardTitle>Recent requests</CardTitle>
          <CardDescription>
            The latest 50 requests: calls to deployed flows, test runs in the editor and model tries.
          </CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          {recent.length === 0 ? (
            <p className="text-sm text-muted-foreground">No requests yet.</p>
          ) : (
            <table className="w-full min-w-[760px] text-sm" aria-label="Recent requests">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 font-medium">Time</th>
                  <th className="py-2 font-medium">Flow</th>
                  <th className="py-2 font-medium">Version</th>
                  <th className="py-2 font-medium">Source</th>
                  <th className="py-2 text-right font-medium">Records</th>
                  <th className="py-2 text-right font-medium">Credits</th>
                  <th className="py-2 text-right font-medium">Status</th>
                  <th className="py-2 text-right font-medium">Latency</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {recent.map((r) => (
                  <tr key={r.id} data-request={r.id} data-kind={r.kind}>
                    <td className="py-2 whitespace-nowrap">{time.format(new Date(r.time))}</td>
                    <td className="py-2">
                      {r.kind === "model_try" ? `Task ${r.taskName ?? "(deleted)"}` : (r.flowName ?? r.flowId ?? "—")}
                    </td>
                    <td className="py-2">
                      {r.flowVersion !== null ? `v${r.flowVersion}` : r.kind === "test_run" ? "draft" : "—"}
                    </td>
                    <td className="py-2">{requestSource(r)}</td>
                    <td className="py-2 text-right tabular-nums">{r.records}</td>
                    <td className="py-2 text-right tabular-nums">{r.credits}</td>
                    <td className="py-2 text-right tabular-nums">{r.status}</td>
                    <td className="py-2 text-right tabular-nums">{number.format(r.latencyMs)} ms</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
