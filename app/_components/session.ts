"use client";

import { useEffect } from "react";
import { usePathname, useRouter } from "next/navigation";
import { authClient } from "@/_lib/auth-client";
import { signInPath } from "./next-path";

/**
 * The signed-in user, or undefined while the session loads. A visitor without a session is sent to
 * sign-in with a way back to this page. The server checks every procedure anyway; this is navigation only.
 */
export function useRequiredUser() {
  const session = authClient.useSession();
  const router = useRouter();
  const pathname = usePathname();
  const signedOut = !session.isPending && session.data === null;

  useEffect(() => {
    if (signedOut) router.replace(signInPath(pathname));
  }, [signedOut, router, pathname]);

  return session.data?.user;
}

/** Signs out and reloads from the sign-in page, so nothing cached for this user stays in memory. */
export async function signOutAndLeave(): Promise<void> {
  await authClient.signOut();
  window.location.assign("/sign-in");
}
