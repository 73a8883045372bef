"use client";

import { Suspense, useEffect, useState, type FormEvent } from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { authClient } from "@/_lib/auth-client";
import { INVITATION_HEADER } from "@/_lib/invitation-header";
import { useTRPC } from "@/_lib/trpc";
import { Button } from "@/_components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/_components/ui/card";
import { FormError, TextField } from "@/_components/ui/field";
import { authFormErrors, PASSWORD_MIN_LENGTH, type AuthFormErrors } from "@/_components/auth-errors";
import { safeNextPath } from "@/_components/next-path";
import { roleLabel } from "@/_components/roles";

export default function SignUpPage() {
  return (
    <Suspense>
      <SignUpForm />
    </Suspense>
  );
}

function SignUpForm() {
  const params = useSearchParams();
  const invite = params.get("invite") ?? undefined;
  // An invited visitor comes back to the invitation to accept it; anyone else goes on as usual.
  const next = invite === undefined ? safeNextPath(params.get("next")) : `/invite/${encodeURIComponent(invite)}`;
  const [form, setForm] = useState({ name: "", email: "", password: "" });
  const [errors, setErrors] = useState<AuthFormErrors>({});
  const [pending, setPending] = useState(false);
  const router = useRouter();
  const signedIn = authClient.useSession().data != null;
  const trpc = useTRPC();
  const setup = useQuery(trpc.setup.status.queryOptions());
  // The invitation is spent on the new account; accepting again (already a member) says which workspace.
  const accept = useMutation(trpc.invitation.accept.mutationOptions());

  // Already signed in: there is nothing to create; an invited user goes straight to the invitation.
  useEffect(() => {
    if (signedIn && !pending) router.replace(next ?? "/");
  }, [signedIn, pending, next, router]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: AuthFormErrors = {};
    if (form.name.trim() === "") missing.name = "Enter your name.";
    if (form.email.trim() === "") missing.email = "Enter your email.";
    if (form.password === "") missing.password = `Choose a password of at least ${PASSWORD_MIN_LENGTH} characters.`;
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setPending(true);
    const { error } = await authClient.signUp.email({
      name: form.name.trim(),
      email: form.email.trim(),
      password: form.password,
      // After setup the server creates accounts by invitation only (unless the operator opened sign-up).
      fetchOptions: invite === undefined ? undefined : { headers: { [INVITATION_HEADER]: invite } },
    });
    if (error === null) {
      const joined =
        invite === undefined ? undefined : await accept.mutateAsync({ token: invite }).catch(() => undefined);
      window.location.assign(joined === undefined ? (next ?? "/") : `/w/${joined.workspaceId}/flows`);
      return;
    }
    setPending(false);
    setErrors(authFormErrors(error));
  };
  const bind = (key: keyof typeof form) => ({
    value: form[key],
    onChange: (event: { target: { value: string } }) => setForm((was) => ({ ...was, [key]: event.target.value })),
  });

  const signInHref = next === undefined ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
  if (invite === undefined && setup.data?.needsSetup === false && !setup.data.signUpOpen) {
    return (
      <Card>
        <CardHeader>
          <CardTitle>Sign-up is by invitation</CardTitle>
          <CardDescription id="sign-up-closed">
            Accounts on this instance come with an invitation: ask an admin of a workspace for an invitation link, and
            open it to create your account. The operator of the instance can open sign-up to everyone.
          </CardDescription>
        </CardHeader>
        <CardFooter className="justify-center text-sm text-muted-foreground">
          Already have an account?
          <Link href={signInHref} className="font-medium text-primary hover:underline">
            Sign in
          </Link>
        </CardFooter>
      </Card>
    );
  }
  return (
    <Card>
      <CardHeader>
        <CardTitle>Create your account</CardTitle>
        {invite === undefined ? (
          <CardDescription>
            Sign up with your email. You can create a workspace or join one by invitation.
          </CardDescription>
        ) : (
          <InvitationNote token={invite} />
        )}
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
          <FormError message={errors.form} />
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
          <Button type="submit" pending={pending} className="mt-2 w-full">
            Create account
          </Button>
        </form>
      </CardContent>
      <CardFooter className="justify-center text-sm text-muted-foreground">
        Already have an account?
        <Link href={signInHref} className="font-medium text-primary hover:underline">
          Sign in
        </Link>
      </CardFooter>
    </Card>
  );
}

function InvitationNote({ token }: { token: string }) {
  const trpc = useTRPC();
  const invitation = useQuery({ ...trpc.invitation.get.queryOptions({ token }), retry: false });
  if (invitation.data === undefined) {
    return <CardDescription>Create an account to join.</CardDescription>;
  }
  return (
    <CardDescription>
      You were invited to join <strong className="text-foreground">{invitation.data.workspaceName}</strong> as{" "}
      {roleLabel(invitation.data.role).toLowerCase()}. Create an account to join.
    </CardDescription>
  );
}
