"use client";

import Link from "next/link";
import { useParams } from "next/navigation";
import { useMutation, useQuery } from "@tanstack/react-query";
import { authClient } from "@/_lib/auth-client";
import { useTRPC } from "@/_lib/trpc";
import { Button, buttonClasses } from "@/_components/ui/button";
import { Card, CardContent, CardDescription, CardFooter, CardHeader, CardTitle } from "@/_components/ui/card";
import { FormError } from "@/_components/ui/field";
import { PageLoading } from "@/_components/loading";
import { roleDescription, roleLabel } from "@/_components/roles";
import { signOutAndLeave } from "@/_components/session";
import { trpcErrorCode } from "@/_components/trpc-errors";

const UNUSABLE: Record<"expired" | "used" | "revoked", string> = {
  expired: "This invitation has expired. Invitations are valid for 7 days.",
  used: "This invitation has already been used. Each invitation link works once.",
  revoked: "This invitation was revoked by an admin of the workspace.",
};

export default function InvitationPage() {
  const { token } = useParams<{ token: string }>();
  const trpc = useTRPC();
  const invitation = useQuery({ ...trpc.invitation.get.queryOptions({ token }), retry: false });
  const session = authClient.useSession();
  const accept = useMutation(
    trpc.invitation.accept.mutationOptions({
      onSuccess: ({ workspaceId }) => window.location.assign(`/w/${workspaceId}/flows`),
    }),
  );

  if (invitation.error !== null) {
    const unknown = trpcErrorCode(invitation.error) === "NOT_FOUND";
    return (
      <Card>
        <CardHeader>
          <CardTitle>{unknown ? "Invitation not found" : "Could not open the invitation"}</CardTitle>
          <CardDescription>
            {unknown
              ? "This link does not match any invitation. Check that you copied all of it, or ask for a new one."
              : invitation.error.message}
          </CardDescription>
        </CardHeader>
      </Card>
    );
  }
  if (invitation.data === undefined || session.isPending) return <PageLoading />;

  const { workspaceName, role, state } = invitation.data;
  const user = session.data?.user;
  const here = `/invite/${encodeURIComponent(token)}`;
  return (
    <Card>
      <CardHeader>
        <CardDescription>{state === "valid" ? "You are invited to join" : "Invitation to join"}</CardDescription>
        <CardTitle className="text-2xl">{workspaceName}</CardTitle>
        <p className="text-sm">
          as <strong>{roleLabel(role)}</strong>
          <span className="text-muted-foreground"> — {roleDescription(role)}</span>
        </p>
      </CardHeader>
      <CardContent className="grid gap-4">
        {state !== "valid" ? (
          <p
            id="invitation-error"
            role="alert"
            className="rounded-md bg-destructive/5 px-3 py-2 text-sm text-destructive"
          >
            {UNUSABLE[state]} Ask an admin of {workspaceName} for a new link.
          </p>
        ) : user === undefined ? (
          <>
            <p className="text-sm text-muted-foreground">Create an account or sign in to accept.</p>
            <div className="grid gap-2 sm:grid-cols-2">
              <Link href={`/sign-up?invite=${encodeURIComponent(token)}`} className={buttonClasses("primary")}>
                Create account
              </Link>
              <Link href={`/sign-in?next=${encodeURIComponent(here)}`} className={buttonClasses("outline")}>
                Sign in
              </Link>
            </div>
          </>
        ) : (
          <>
            <FormError message={accept.error?.message} />
            <Button onClick={() => accept.mutate({ token })} pending={accept.isPending || accept.isSuccess}>
              Accept invitation
            </Button>
          </>
        )}
      </CardContent>
      {user !== undefined && (
        <CardFooter className="justify-between text-sm text-muted-foreground">
          <span className="truncate">Signed in as {user.email}</span>
          <button
            type="button"
            className="font-medium text-primary hover:underline"
            onClick={() => void signOutAndLeave()}
          >
            Not you? Sign out
          </button>
        </CardFooter>
      )}
    </Card>
  );
}
