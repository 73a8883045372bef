"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Select } from "../ui/select";
import { ROLES, hasRole, roleLabel, type Role } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { formatDate } from "./format";

interface Member {
  userId: string;
  name: string;
  email: string;
  role: Role;
  createdAt: Date | string;
}

export function MemberList({ currentUserId }: { currentUserId: string }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const members = useQuery(trpc.member.list.queryOptions({ workspaceId: workspace.id }));
  const [removing, setRemoving] = useState<Member | undefined>();
  const canManage = hasRole(workspace.role, "admin");

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.member.list.queryKey() });
  const updateRole = useMutation(trpc.member.updateRole.mutationOptions({ onSettled: refresh }));
  const remove = useMutation(
    trpc.member.remove.mutationOptions({
      onSuccess: async (_data, { userId }) => {
        setRemoving(undefined);
        // Leaving a workspace ends access to this page too.
        if (userId === currentUserId) window.location.assign("/");
        else await refresh();
      },
    }),
  );

  return (
    <Card>
      <CardHeader>
        <CardTitle>Members</CardTitle>
        <CardDescription>
          People with access to {workspace.name}.{" "}
          {canManage ? "Admins and owners can change roles and remove members." : "Only admins can change them."}
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        <FormError message={members.error?.message ?? updateRole.error?.message} />
        {members.data === undefined && members.error === null && (
          <p className="text-sm text-muted-foreground">Loading members…</p>
        )}
        <ul className="min-w-0 divide-y rounded-lg border">
          {members.data?.map((member) => {
            const self = member.userId === currentUserId;
            return (
              <li
                key={member.userId}
                className="flex flex-col gap-3 p-4 sm:flex-row sm:items-center"
                data-member={member.email}
              >
                <div className="min-w-0 flex-1">
                  <div className="flex items-center gap-2">
                    <span className="truncate font-medium">{member.name}</span>
                    {self && <Badge>You</Badge>}
                  </div>
                  <div className="truncate text-sm text-muted-foreground">
                    {member.email} · joined {formatDate(member.createdAt)}
                  </div>
                </div>
                <div className="flex items-center gap-2">
                  {canManage ? (
                    <Select
                      aria-label={`Role of ${member.name}`}
                      className="w-32"
                      value={member.role}
                      disabled={updateRole.isPending}
                      onChange={(event) =>
                        updateRole.mutate({
                          workspaceId: workspace.id,
                          userId: member.userId,
                          role: event.target.value as Role,
                        })
                      }
                    >
                      {ROLES.map((role) => (
                        <option key={role} value={role}>
                          {roleLabel(role)}
                        </option>
                      ))}
                    </Select>
                  ) : (
                    <Badge>{roleLabel(member.role)}</Badge>
                  )}
                  {(canManage || self) && (
                    <Button variant="outline" size="sm" onClick={() => setRemoving(member)}>
                      {self ? "Leave" : "Remove"}
                    </Button>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      </CardContent>
      <Dialog
        open={removing !== undefined}
        onClose={() => {
          setRemoving(undefined);
          remove.reset();
        }}
        title={removing?.userId === currentUserId ? `Leave ${workspace.name}?` : `Remove ${removing?.name ?? ""}?`}
        description={
          removing?.userId === currentUserId
            ? "You lose access to this workspace at once. An admin can invite you again."
            : `${removing?.email ?? ""} loses access to ${workspace.name} at once. What they built stays in the workspace.`
        }
        footer={
          <>
            <Button variant="outline" onClick={() => setRemoving(undefined)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              pending={remove.isPending}
              onClick={() =>
                removing !== undefined && remove.mutate({ workspaceId: workspace.id, userId: removing.userId })
              }
            >
              {removing?.userId === currentUserId ? "Leave workspace" : "Remove member"}
            </Button>
          </>
        }
      >
        <FormError message={remove.error?.message} />
      </Dialog>
    </Card>
  );
}
