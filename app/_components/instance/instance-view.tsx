"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../_server/routers/_app";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, TextField } from "../ui/field";
import { Select } from "../ui/select";
import { PageLoading } from "../loading";
import { formErrorMessage } from "../trpc-errors";
import { formatDate } from "../members/format";

type Overview = inferRouterOutputs<AppRouter>["instance"]["overview"];

const number = new Intl.NumberFormat("en");

/** "3,000,000,000" or "3 000 000 000" as typed; anything else goes to the server as is and is refused there. */
function parseAmount(text: string): number {
  const digits = text.replace(/[\s,_]/g, "");
  return digits === "" ? Number.NaN : Number(digits);
}

function useRefresh() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  return () => queryClient.invalidateQueries({ queryKey: trpc.instance.overview.queryKey() });
}

/** The instance operator's page: sign-up, every workspace's plan and credits, the operators. */
export function InstanceView() {
  const trpc = useTRPC();
  const overview = useQuery({ ...trpc.instance.overview.queryOptions(), retry: false });
  if (overview.error) return <FormError message={overview.error.message} />;
  if (overview.data === undefined) return <PageLoading />;
  const data = overview.data;
  return (
    <div className="grid gap-6">
      <SignUpCard open={data.signUpOpen} />
      <Card>
        <CardHeader>
          <CardTitle>Workspaces</CardTitle>
          <CardDescription>
            Every workspace of the instance with its plan and this period&apos;s balance. A grant adds credits to the
            current period (at most {number.format(data.maxCreditAmount)} at a time); a new period starts with the
            plan&apos;s allowance.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <ul className="min-w-0 divide-y rounded-lg border">
            {data.workspaces.map((workspace) => (
              <WorkspaceRow key={workspace.id} workspace={workspace} plans={data.plans} />
            ))}
          </ul>
        </CardContent>
      </Card>
      <OperatorsCard operators={data.operators} />
    </div>
  );
}

function SignUpCard({ open }: { open: boolean }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const toggle = useMutation(trpc.instance.setSignUpOpen.mutationOptions({ onSuccess: refresh }));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign-up</CardTitle>
        <CardDescription id="sign-up-state">
          {open
            ? "Open: anyone who reaches this instance can create an account and a workspace."
            : "By invitation: new accounts come only through a workspace's invitation links."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-2">
        <FormError message={toggle.error?.message} />
        <div>
          <Button variant="outline" pending={toggle.isPending} onClick={() => toggle.mutate({ open: !open })}>
            {open ? "Close sign-up (invitation only)" : "Open sign-up to everyone"}
          </Button>
        </div>
      </CardContent>
    </Card>
  );
}

function WorkspaceRow({ workspace, plans }: { workspace: Overview["workspaces"][number]; plans: Overview["plans"] }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [amount, setAmount] = useState("");
  const grant = useMutation(
    trpc.instance.grantCredits.mutationOptions({ onSuccess: async () => (setAmount(""), await refresh()) }),
  );
  const setPlan = useMutation(trpc.instance.setPlan.mutationOptions({ onSuccess: refresh }));
  const { account } = workspace;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    grant.mutate({ workspaceId: workspace.id, amount: parseAmount(amount) });
  };
  const field = `grant-${workspace.id}`;
  return (
    <li className="grid gap-3 p-4" data-instance-workspace={workspace.name}>
      <div className="flex flex-wrap items-baseline justify-between gap-2">
        <div className="min-w-0">
          <div className="truncate font-medium">{workspace.name}</div>
          <div className="text-xs text-muted-foreground">created {formatDate(workspace.createdAt)}</div>
        </div>
        <div className="text-sm tabular-nums">
          <span className="font-semibold" data-instance-balance>
            {number.format(account.balance)}
          </span>{" "}
          <span className="text-muted-foreground">
            credits left · {number.format(account.used)} used of{" "}
            {number.format(account.monthlyAllowance + account.bonus)}
            {account.bonus > 0 && ` (${number.format(account.bonus)} granted)`}
          </span>
        </div>
      </div>
      <div className="grid gap-3 sm:grid-cols-2">
        <div className="grid gap-1.5">
          <Select
            aria-label={`Plan of ${workspace.name}`}
            value={account.plan}
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
        <form noValidate onSubmit={submit} className="grid gap-1.5">
          <div className="flex items-start gap-2">
            <div className="flex-1">
              <TextField
                id={field}
                label={`Grant credits to ${workspace.name}`}
                inputMode="numeric"
                placeholder="e.g. 10,000"
                value={amount}
                error={fieldErrors(grant.error).amount}
                onChange={(event) => {
                  setAmount(event.target.value);
                  grant.reset();
                }}
              />
            </div>
            <Button type="submit" variant="outline" pending={grant.isPending} className="mt-6">
              Grant
            </Button>
          </div>
          <FormError message={formErrorMessage(grant.error, ["amount"])} />
        </form>
      </div>
    </li>
  );
}

function OperatorsCard({ operators }: { operators: Overview["operators"] }) {
  const trpc = useTRPC();
  const refresh = useRefresh();
  const [email, setEmail] = useState("");
  const add = useMutation(
    trpc.instance.addOperator.mutationOptions({ onSuccess: async () => (setEmail(""), await refresh()) }),
  );
  const remove = useMutation(trpc.instance.removeOperator.mutationOptions({ onSuccess: refresh }));
  const submit = (event: FormEvent) => {
    event.preventDefault();
    add.mutate({ email: email.trim() });
  };
  return (
    <Card>
      <CardHeader>
        <CardTitle>Operators</CardTitle>
        <CardDescription>
          Operators set plans, grant credits, open sign-up and name other operators. Name someone who has an account.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <FormError message={remove.error?.message} />
        <ul className="min-w-0 divide-y rounded-lg border">
          {operators.map((operator) => (
            <li key={operator.userId} className="flex items-center gap-3 p-4" data-operator={operator.email}>
              <div className="min-w-0 flex-1">
                <div className="flex items-center gap-2">
                  <span className="truncate font-medium">{operator.name}</span>
                  {operator.you && <Badge>You</Badge>}
                </div>
                <div className="truncate text-sm text-muted-foreground">
                  {operator.email} · operator since {formatDate(operator.createdAt)}
                </div>
              </div>
              {operators.length > 1 && (
                <Button
                  variant="outline"
                  size="sm"
                  pending={remove.isPending && remove.variables.userId === operator.userId}
                  onClick={() => remove.mutate({ userId: operator.userId })}
                >
                  Remove
                </Button>
              )}
            </li>
          ))}
        </ul>
        <form noValidate onSubmit={submit} className="flex max-w-md items-start gap-2">
          <div className="flex-1">
            <TextField
              id="operator-email"
              label="Name an operator"
              type="email"
              placeholder="name@example.com"
              value={email}
              error={fieldErrors(add.error).email}
              onChange={(event) => {
                setEmail(event.target.value);
                add.reset();
              }}
            />
          </div>
          <Button type="submit" variant="outline" pending={add.isPending} className="mt-6">
            Name operator
          </Button>
        </form>
        <FormError message={formErrorMessage(add.error, ["email"])} />
      </CardContent>
    </Card>
  );
}
