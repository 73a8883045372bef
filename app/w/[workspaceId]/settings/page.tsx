"use client";

import { useState, type FormEvent } from "react";
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button } from "@/_components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/_components/ui/card";
import { FormError, TextField } from "@/_components/ui/field";
import { PageHeader } from "@/_components/shell/page-header";
import { useWorkspace } from "@/_components/shell/workspace-context";
import { hasRole } from "@/_components/roles";
import { formErrorMessage } from "@/_components/trpc-errors";

export default function SettingsPage() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [name, setName] = useState(workspace.name);
  const rename = useMutation(
    trpc.workspace.rename.mutationOptions({
      onSuccess: () =>
        Promise.all([
          queryClient.invalidateQueries({ queryKey: trpc.workspace.get.queryKey({ workspaceId: workspace.id }) }),
          queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() }),
        ]),
    }),
  );
  const canRename = hasRole(workspace.role, "admin");
  const submit = (event: FormEvent) => {
    event.preventDefault();
    rename.mutate({ workspaceId: workspace.id, name });
  };

  return (
    <>
      <PageHeader title="Settings" description="Settings of this workspace." />
      <Card>
        <form noValidate onSubmit={submit}>
          <CardHeader>
            <CardTitle>Workspace name</CardTitle>
            <CardDescription>
              {canRename
                ? "Shown in the workspace switcher and on invitations."
                : "Only admins and owners can rename the workspace."}
            </CardDescription>
          </CardHeader>
          <CardContent className="grid max-w-md gap-4">
            <FormError message={formErrorMessage(rename.error, ["name"])} />
            <TextField
              id="name"
              label="Name"
              value={name}
              disabled={!canRename}
              onChange={(event) => {
                setName(event.target.value);
                rename.reset();
              }}
              error={fieldErrors(rename.error).name}
            />
          </CardContent>
          {canRename && (
            <CardFooter className="justify-between">
              <span className="text-sm text-success" role="status">
                {rename.isSuccess ? "Saved." : ""}
              </span>
              <Button type="submit" pending={rename.isPending} disabled={name === workspace.name && !rename.isError}>
                Save
              </Button>
            </CardFooter>
          )}
        </form>
      </Card>
    </>
  );
}
