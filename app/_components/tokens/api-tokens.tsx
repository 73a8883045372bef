"use client";

import { useState, type FormEvent } from "react";
import { useSearchParams } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { FormError, TextField } from "../ui/field";
import { Input } from "../ui/input";
import { CheckIcon, CopyIcon } from "../icons";
import { useWorkspace } from "../shell/workspace-context";
import { formErrorMessage } from "../trpc-errors";
import { formatDate } from "../members/format";
import { CallExamples } from "../editor/call-examples";
import { Select } from "../ui/select";

/** The new key with a copy button; selecting the text is the fallback where the clipboard API is refused. */
function KeyField({ value }: { value: string }) {
  const [copied, setCopied] = useState(false);
  const copy = async () => {
    try {
      await navigator.clipboard.writeText(value);
      setCopied(true);
      setTimeout(() => setCopied(false), 2000);
    } catch {
      const input = document.getElementById("new-token-key");
      if (input instanceof HTMLInputElement) input.select();
    }
  };
  return (
    <div className="flex gap-2">
      <Input
        id="new-token-key"
        aria-label="API key"
        readOnly
        value={value}
        className="font-mono text-xs"
        onFocus={(e) => e.target.select()}
      />
      <Button variant="outline" onClick={() => void copy()} className="w-28 shrink-0">
        {copied ? <CheckIcon width={16} height={16} /> : <CopyIcon width={16} height={16} />}
        {copied ? "Copied" : "Copy key"}
      </Button>
    </div>
  );
}

/**
 * How to call a flow with the new key: the flow comes from the page's `?flow=` (the deploy dialog's link),
 * else the first deployed flow, and can be changed.
 */
function FlowCall({ token, origin }: { token: string; origin: string }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const params = useSearchParams();
  const flows = useQuery(trpc.flow.list.queryOptions({ workspaceId: workspace.id }));
  const [picked, setPicked] = useState<string | undefined>();
  const rows = flows.data ?? [];
  const asked = params.get("flow") ?? undefined;
  const flowId =
    picked ??
    rows.find((f) => f.id === asked)?.id ??
    rows.find((f) => f.deployedVersion !== undefined)?.id ??
    rows[0]?.id;
  if (flows.data !== undefined && rows.length === 0) {
    return (
      <p className="text-sm text-muted-foreground">Create and deploy a flow; its call with this key shows here.</p>
    );
  }
  return (
    <div className="grid min-w-0 gap-2">
      <label className="grid gap-1 text-xs font-medium sm:max-w-sm">
        Flow to call
        <Select value={flowId ?? ""} onChange={(e) => setPicked(e.target.value)}>
          {rows.map((f) => (
            <option key={f.id} value={f.id}>
              {f.name}
              {f.deployedVersion === undefined ? " (not deployed)" : ` (v${f.deployedVersion} live)`}
            </option>
          ))}
        </Select>
      </label>
      {flowId !== undefined && <CallExamples target={{ origin, flowId, token }} />}
    </div>
  );
}

export function CreateTokenCard() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.apiToken.create.mutationOptions({
      onSuccess: async () => {
        setName("");
        await queryClient.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey() });
      },
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ workspaceId: workspace.id, name });
  };
  const origin = typeof window === "undefined" ? "" : window.location.origin;

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create a token</CardTitle>
        <CardDescription>
          Name it after where it will be used (a server, a CI job), so you know what stops working when you revoke it.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form noValidate onSubmit={submit} className="flex flex-col gap-3 sm:flex-row sm:items-start">
          <div className="flex-1">
            <TextField
              id="token-name"
              label="Token name"
              value={name}
              maxLength={100}
              placeholder="Production website"
              error={fieldErrors(create.error).name?.[0]}
              onChange={(event) => setName(event.target.value)}
            />
          </div>
          <Button type="submit" pending={create.isPending} className="sm:mt-6">
            Create token
          </Button>
        </form>
        <FormError message={formErrorMessage(create.error, ["name"])} />
        {create.data !== undefined && (
          <div className="grid gap-2 rounded-lg border border-primary/25 bg-primary/5 p-4" data-testid="new-token">
            <p className="text-sm">
              Key of <strong>{create.data.name}</strong>. It is shown only now and stored only as a hash: copy it before
              leaving the page.
            </p>
            <KeyField value={create.data.key} />
            <FlowCall token={create.data.key} origin={origin} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

export function TokenList() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const tokens = useQuery(trpc.apiToken.list.queryOptions({ workspaceId: workspace.id }));
  const [revoking, setRevoking] = useState<{ id: string; name: string } | undefined>();
  const revoke = useMutation(
    trpc.apiToken.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(undefined);
        await queryClient.invalidateQueries({ queryKey: trpc.apiToken.list.queryKey() });
      },
    }),
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle>Tokens</CardTitle>
        <CardDescription>
          Live tokens of this workspace. A revoked token is refused from its next request on.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <FormError message={tokens.error?.message} />
        {tokens.data?.length === 0 && <p className="text-sm text-muted-foreground">No API tokens yet.</p>}
        {tokens.data !== undefined && tokens.data.length > 0 && (
          <ul className="min-w-0 divide-y rounded-lg border" aria-label="API tokens">
            {tokens.data.map((token) => (
              <li key={token.id} className="flex items-center gap-3 p-4" data-token={token.name}>
                <div className="min-w-0 flex-1">
                  <div className="font-medium">{token.name}</div>
                  <div className="text-sm text-muted-foreground">
                    <code className="font-mono text-xs">{token.prefix}…</code> · created {formatDate(token.createdAt)} ·{" "}
                    {token.lastUsedAt === null ? "never used" : `last used ${formatDate(token.lastUsedAt)}`}
                  </div>
                </div>
                <Button variant="outline" size="sm" onClick={() => setRevoking({ id: token.id, name: token.name })}>
                  Revoke
                </Button>
              </li>
            ))}
          </ul>
        )}
      </CardContent>
      <Dialog
        open={revoking !== undefined}
        onClose={() => {
          setRevoking(undefined);
          revoke.reset();
        }}
        title={`Revoke "${revoking?.name ?? ""}"?`}
        description="Requests with this token are refused from now on. This cannot be undone; create a new token to replace it."
        footer={
          <>
            <Button variant="outline" onClick={() => setRevoking(undefined)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              pending={revoke.isPending}
              onClick={() =>
                revoking !== undefined && revoke.mutate({ workspaceId: workspace.id, tokenId: revoking.id })
              }
            >
              Revoke token
            </Button>
          </>
        }
      >
        <FormError message={revoke.error?.message} />
      </Dialog>
    </Card>
  );
}
