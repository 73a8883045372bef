"use client";

import { useState, type FormEvent } from "react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button, buttonClasses } from "@/_components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/_components/ui/card";
import { FormError, TextField } from "@/_components/ui/field";
import { PageLoading } from "@/_components/loading";
import { useRequiredUser } from "@/_components/session";
import { formErrorMessage } from "@/_components/trpc-errors";

export default function NewWorkspacePage() {
  const user = useRequiredUser();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const workspaces = useQuery({ ...trpc.workspace.list.queryOptions(), enabled: user !== undefined });
  const [name, setName] = useState("");
  const create = useMutation(
    trpc.workspace.create.mutationOptions({
      onSuccess: async ({ id }) => {
        await queryClient.invalidateQueries({ queryKey: trpc.workspace.list.queryKey() });
        router.push(`/w/${id}/flows`);
      },
    }),
  );

  if (user === undefined) return <PageLoading />;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    create.mutate({ name });
  };
  const first = workspaces.data?.[0];
  return (
    <Card>
      <CardHeader>
        <CardTitle>New workspace</CardTitle>
        <CardDescription>
          A workspace holds its own flows, tasks, API tokens, credits and members. You will be its owner.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={submit} className="grid gap-4">
          <FormError message={formErrorMessage(create.error, ["name"])} />
          <TextField
            id="name"
            label="Workspace name"
            placeholder="e.g. Product photos"
            autoFocus
            value={name}
            onChange={(event) => setName(event.target.value)}
            error={fieldErrors(create.error).name}
          />
          <div className="mt-2 flex flex-col-reverse gap-2 sm:flex-row sm:justify-end">
            {first !== undefined && (
              <Link href={`/w/${first.id}/flows`} className={buttonClasses("outline")}>
                Cancel
              </Link>
            )}
            <Button type="submit" pending={create.isPending || create.isSuccess}>
              Create workspace
            </Button>
          </div>
        </form>
      </CardContent>
    </Card>
  );
}
