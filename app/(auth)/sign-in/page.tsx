"use client";

import { Suspense, useEffect, useState, type FormEvent } from "react";
import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { authClient } from "@/_lib/auth-client";
import { useTRPC } from "@/_lib/trpc";
import { Button } from "@/_components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/_components/ui/card";
import { FormError, TextField } from "@/_components/ui/field";
import { authFormErrors, type AuthFormErrors } from "@/_components/auth-errors";
import { safeNextPath } from "@/_components/next-path";

export default function SignInPage() {
  return (
    <Suspense>
      <SignInForm />
    </Suspense>
  );
}

function SignInForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const next = safeNextPath(useSearchParams().get("next"));
  const setup = useQuery(trpc.setup.status.queryOptions());
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const [errors, setErrors] = useState<AuthFormErrors>({});
  const [pending, setPending] = useState(false);

  const signedIn = authClient.useSession().data != null;

  useEffect(() => {
    if (setup.data?.needsSetup === true) router.replace("/setup");
  }, [setup.data, router]);
  // Someone already signed in (another tab, the back button) goes on instead of signing in twice.
  useEffect(() => {
    if (signedIn && !pending) router.replace(next ?? "/");
  }, [signedIn, pending, next, router]);

  const submit = async (event: FormEvent) => {
    event.preventDefault();
    const missing: AuthFormErrors = {};
    if (email.trim() === "") missing.email = "Enter your email.";
    if (password === "") missing.password = "Enter your password.";
    setErrors(missing);
    if (Object.keys(missing).length > 0) return;
    setPending(true);
    const { error } = await authClient.signIn.email({ email: email.trim(), password });
    if (error === null) {
      window.location.assign(next ?? "/");
      return;
    }
    setPending(false);
    setErrors(authFormErrors(error));
  };

  const signUpHref = next === undefined ? "/sign-up" : `/sign-up?next=${encodeURIComponent(next)}`;
  return (
    <Card>
      <CardHeader>
        <CardTitle>Sign in</CardTitle>
        <CardDescription>Welcome back. Sign in to your workspaces.</CardDescription>
      </CardHeader>
      <CardContent>
        <form noValidate onSubmit={(event) => void submit(event)} className="grid gap-4">
          <FormError message={errors.form} />
          <TextField
            id="email"
            label="Email"
            type="email"
            autoComplete="email"
            value={email}
            onChange={(event) => setEmail(event.target.value)}
            error={errors.email}
          />
          <TextField
            id="password"
            label="Password"
            type="password"
            autoComplete="current-password"
            value={password}
            onChange={(event) => setPassword(event.target.value)}
            error={errors.password}
          />
          <Button type="submit" pending={pending} className="mt-2 w-full">
            Sign in
          </Button>
        </form>
      </CardContent>
      <CardFooter className="justify-center text-sm text-muted-foreground">
        New here?
        <Link href={signUpHref} className="font-medium text-primary hover:underline">
          Create an account
        </Link>
      </CardFooter>
    </Card>
  );
}
