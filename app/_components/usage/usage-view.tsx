"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, TextField } from "../ui/field";
import { Label } from "../ui/label";
import { Select } from "../ui/select";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { formErrorMessage } from "../trpc-errors";
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

function AdminCredits({
  plan,
  plans,
}: {
  plan: string;
  plans: { id: string; title: string; monthlyAllowance: number }[];
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [amount, setAmount] = useState("");
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.usage.summary.queryKey() });
  const add = useMutation(
    trpc.usage.addCredits.mutationOptions({ onSuccess: async () => (setAmount(""), await invalidate()) }),
  );
  const setPlan = useMutation(trpc.usage.setPlan.mutationOptions({ onSuccess: invalidate }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ workspaceId: workspace.id, amount: Number(amount) });
  };
  return (
    <div className="grid gap-4 border-t pt-4 sm:grid-cols-2">
      <div className="grid gap-1.5">
        <Label htmlFor="plan">Plan</Label>
        <Select
          id="plan"
          value={plan}
          disabled={setPlan.isPending}
          onChange={(event) => setPlan.mutate({ workspaceId: workspace.id, plan: event.target.value })}
        >
          {plans.map((p) => (
            <option key={p.id} value={p.id}>
              {p.title} ({number.format(p.monthlyAllowance)} credits a month)
            </option>
          ))}
        </Select>
        <FormError message={setPlan.error?.message} />
      </div>
      <form noValidate onSubmit={submit} className="flex items-start gap-2">
        <div className="flex-1">
          <TextField
            id="add-credits"
            label="Add credits to this period"
            inputMode="numeric"
            value={amount}
            error={fieldErrors(add.error).amount?.[0]}
            onChange={(event) => setAmount(event.target.value)}
          />
        </div>
        <Button type="submit" variant="outline" pending={add.isPending} className="mt-6">
          Add
        </Button>
      </form>
      <FormError message={formErrorMessage(add.error, ["amount"])} />
    </div>
  );
}

export function UsageView() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const summary = useQuery(trpc.usage.summary.queryOptions({ workspaceId: workspace.id }, { refetchInterval: 15_000 }));
  if (summary.error) return <FormError message={summary.error.message} />;
  if (summary.data === undefined) return <PageLoading />;
  const { account, daily, tokens, recent, plans } = summary.data;
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
          {hasRole(workspace.role, "admin") && <AdminCredits plan={account.plan} plans={plans} />}
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
          <CardDescription>Requests this period, by the API token that made them.</CardDescription>
        </CardHeader>
        <CardContent>
          {tokens.length === 0 ? (
            <p className="text-sm text-muted-foreground">No calls this period.</p>
          ) : (
            <table className="w-full text-sm">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 font-medium">Token</th>
                  <th className="py-2 text-right font-medium">Calls</th>
                  <th className="py-2 text-right font-medium">Credits</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {tokens.map((t) => (
                  <tr key={t.tokenId ?? "none"}>
                    <td className="py-2">{t.tokenName ?? (t.tokenId === null ? "No token" : "Deleted token")}</td>
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
          <CardDescription>The latest 50 requests to deployed flows.</CardDescription>
        </CardHeader>
        <CardContent className="overflow-x-auto">
          {recent.length === 0 ? (
            <p className="text-sm text-muted-foreground">No requests yet.</p>
          ) : (
            <table className="w-full min-w-[640px] text-sm" aria-label="Recent requests">
              <thead className="text-left text-muted-foreground">
                <tr>
                  <th className="py-2 font-medium">Time</th>
                  <th className="py-2 font-medium">Flow</th>
                  <th className="py-2 font-medium">Version</th>
                  <th className="py-2 text-right font-medium">Records</th>
                  <th className="py-2 text-right font-medium">Credits</th>
                  <th className="py-2 text-right font-medium">Status</th>
                  <th className="py-2 text-right font-medium">Latency</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {recent.map((r) => (
                  <tr key={r.id} data-request={r.id}>
                    <td className="py-2 whitespace-nowrap">{time.format(new Date(r.time))}</td>
                    <td className="py-2">{r.flowName ?? r.flowId ?? "—"}</td>
                    <td className="py-2">{r.flowVersion === null ? "—" : `v${r.flowVersion}`}</td>
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
