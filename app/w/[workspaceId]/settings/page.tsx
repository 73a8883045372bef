"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button, buttonClasses } from "@/_components/ui/button";
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
  const operator = useQuery(trpc.instance.me.queryOptions()).data?.operator === true;
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
      <Card className="mt-6">
        <CardHeader>
          <CardTitle>Plan and credits</CardTitle>
          <CardDescription>
            {operator
              ? "You operate this instance: set plans, grant credits, open sign-up and name operators on the Instance page."
              : "The operator of this instance sets the plan and grants credits; the Usage page shows the balance."}
          </CardDescription>
        </CardHeader>
        {operator && (
          <CardContent>
            <Link href="/instance" className={buttonClasses("outline")}>
              Open the Instance page
            </Link>
          </CardContent>
        )}
      </Card>
    </>
  );
}
