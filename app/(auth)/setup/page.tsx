"use client";

import { useEffect, useState, type FormEvent } from "react";
import { useRouter } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { Button } from "@/_components/ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "@/_components/ui/card";
import { FormError, TextField } from "@/_components/ui/field";
import { PageLoading } from "@/_components/loading";
import { formErrorMessage } from "@/_components/trpc-errors";
import { PASSWORD_MIN_LENGTH } from "@/_components/auth-errors";

const FIELDS = ["name", "email", "password", "workspaceName"] as const;

/** First start: creates the owner account and the first workspace in one step. */
export default function SetupPage() {
  const trpc = useTRPC();
  const router = useRouter();
  const status = useQuery(trpc.setup.status.queryOptions());
  const complete = useMutation(
    trpc.setup.complete.mutationOptions({
      // A full load so the new session cookie is read fresh by everything on the next page.
      onSuccess: ({ workspaceId }) => window.location.assign(`/w/${workspaceId}/flows`),
    }),
  );
  const [form, setForm] = useState({ name: "", email: "", password: "", workspaceName: "" });

  const alreadySetUp = status.data?.needsSetup === false && !complete.isPending && !complete.isSuccess;
  useEffect(() => {
    if (alreadySetUp) router.replace("/sign-in");
  }, [alreadySetUp, router]);

  if (status.data === undefined || alreadySetUp) {
    return status.error === null ? <PageLoading /> : <FormError message={status.error.message} />;
  }

  const errors = fieldErrors(complete.error);
  const submit = (event: FormEvent) => {
    event.preventDefault();
    complete.mutate(form);
  };
  const bind = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) => setForm((was) => ({ ...was, [key]: event.target.value })),
  });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Set up Vizflow</CardTitle>
        <CardDescription>
          Create the owner account and your first workspace. You can invite your team once you are in.
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={submit} className="grid gap-4">
          <FormError message={formErrorMessage(complete.error, FIELDS)} />
          <TextField id="name" label="Your name" autoComplete="name" error={errors.name} {...bind("name")} />
          <TextField
            id="email"
            label="Email"
            type="email"
            autoComplete="email"
            error={errors.email}
            {...bind("email")}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="new-password"
            hint={`At least ${PASSWORD_MIN_LENGTH} characters.`}
            error={errors.password}
            {...bind("password")}
          />
          <div className="my-1 h-px bg-border" />
          <TextField
            id="workspaceName"
            label="Workspace name"
            placeholder="e.g. Acme Vision"
            hint="Flows, tasks, tokens and usage belong to a workspace. You can rename it later."
            error={errors.workspaceName}
            {...bind("workspaceName")}
          />
          <Button type="submit" pending={complete.isPending || complete.isSuccess} className="mt-2 w-full">
            Create owner and workspace
          </Button>
        </form>
      </CardContent>
    </Card>
  );
}
