"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Label } from "../ui/label";
import { Select } from "../ui/select";
import { ROLES, roleDescription, roleLabel, type Role } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { formErrorMessage } from "../trpc-errors";
import { CopyField } from "./copy-field";
import { formatDate } from "./format";

/** Invite by link: there is no mail server, so the link is shown to the inviter to pass on. */
export function InviteCard() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [role, setRole] = useState<Role>("editor");
  const create = useMutation(
    trpc.invitation.create.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() }),
    }),
  );
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ workspaceId: workspace.id, role });
  };
  const roleError = fieldErrors(create.error).role;
  const link = create.data === undefined ? undefined : new URL(create.data.url, window.location.origin).toString();

  return (
    <Card>
      <CardHeader>
        <CardTitle>Invite people</CardTitle>
        <CardDescription>
          Create a link and send it to the person you invite. Each link works once and expires after 7 days.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-4">
        <form noValidate onSubmit={submit} className="grid gap-2">
          <Label htmlFor="invite-role">Role</Label>
          <div className="flex flex-col gap-2 sm:flex-row">
            <Select
              id="invite-role"
              className="sm:w-48"
              value={role}
              aria-describedby="invite-role-hint"
              aria-invalid={roleError === undefined ? undefined : true}
              onChange={(event) => setRole(event.target.value as Role)}
            >
              {ROLES.map((option) => (
                <option key={option} value={option}>
                  {roleLabel(option)}
                </option>
              ))}
            </Select>
            <Button type="submit" pending={create.isPending}>
              Create invitation link
            </Button>
          </div>
          {roleError !== undefined && (
            <p className="text-sm text-destructive" role="alert">
              {roleError}
            </p>
          )}
          <p id="invite-role-hint" className="text-xs text-muted-foreground">
            {roleLabel(role)}: {roleDescription(role).toLowerCase()}
          </p>
        </form>
        <FormError message={formErrorMessage(create.error, ["role"])} />
        {link !== undefined && create.data !== undefined && (
          <div className="grid gap-2 rounded-lg border border-primary/25 bg-primary/5 p-4">
            <p className="text-sm">
              Invitation link for a new <strong>{roleLabel(create.variables?.role ?? role).toLowerCase()}</strong>,
              valid until {formatDate(create.data.expiresAt)}. It is shown only now: copy it before leaving the page.
            </p>
            <CopyField id="invite-link" label="Invitation link" value={link} />
          </div>
        )}
      </CardContent>
    </Card>
  );
}

export function PendingInvitations() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invitations = useQuery(trpc.invitation.list.queryOptions({ workspaceId: workspace.id }));
  const [revoking, setRevoking] = useState<string | undefined>();
  const revoke = useMutation(
    trpc.invitation.revoke.mutationOptions({
      onSuccess: async () => {
        setRevoking(undefined);
        await queryClient.invalidateQueries({ queryKey: trpc.invitation.list.queryKey() });
      },
    }),
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle>Pending invitations</CardTitle>
        <CardDescription>Links that were created and not used yet. Revoke one to make it stop working.</CardDescription>
      </CardHeader>
      <CardContent>
        <FormError message={invitations.error?.message} />
        {invitations.data?.length === 0 && <p className="text-sm text-muted-foreground">No pending invitations.</p>}
        {invitations.data !== undefined && invitations.data.length > 0 && (
          <ul className="min-w-0 divide-y rounded-lg border">
            {invitations.data.map((invitation) => (
              <li key={invitation.id} className="flex items-center gap-3 p-4" data-invitation={invitation.id}>
                <div className="min-w-0 flex-1">
                  <div className="font-medium">{roleLabel(invitation.role)}</div>
                  <div className="text-sm text-muted-foreground">
                    Created {formatDate(invitation.createdAt)} · expires {formatDate(invitation.expiresAt)}
                  </div>
                </div>
                <Button variant="outline" size="sm" onClick={() => setRevoking(invitation.id)}>
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
        title="Revoke this invitation?"
        description="Its link stops working at once. You can create a new one any time."
        footer={
          <>
            <Button variant="outline" onClick={() => setRevoking(undefined)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              pending={revoke.isPending}
              onClick={() =>
                revoking !== undefined && revoke.mutate({ workspaceId: workspace.id, invitationId: revoking })
              }
            >
              Revoke invitation
            </Button>
          </>
        }
      >
        <FormError message={revoke.error?.message} />
      </Dialog>
    </Card>
  );
}
