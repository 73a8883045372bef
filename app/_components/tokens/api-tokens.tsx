"use client";

import { useState, type FormEvent } from "react";
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
            <pre className="overflow-x-auto rounded bg-muted p-3 font-mono text-xs">
              {`curl -X POST ${origin}/v2/flows/<flow id>/process \\\n  -H "Authorization: Token ${create.data.key}" \\\n  -H "Content-Type: application/json" \\\n  -d '{"records": [{"_url": "https://example.com/photo.jpg"}]}'`}
            </pre>
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
