"use client";

import { useEffect } from "react";
import { useRouter } from "next/navigation";
import { useQuery } from "@tanstack/react-query";
import { authClient } from "@/_lib/auth-client";
import { useTRPC } from "@/_lib/trpc";
import { PageLoading } from "@/_components/loading";
import { lastWorkspace } from "@/_components/last-workspace";

/** `/` only decides where to go: setup on a fresh install, sign-in when signed out, else a workspace. */
export default function HomePage() {
  const trpc = useTRPC();
  const router = useRouter();
  const setup = useQuery(trpc.setup.status.queryOptions());
  const session = authClient.useSession();
  const signedIn = session.data !== null && session.data !== undefined;
  const workspaces = useQuery({ ...trpc.workspace.list.queryOptions(), enabled: signedIn });

  useEffect(() => {
    if (setup.data?.needsSetup === true) return router.replace("/setup");
    if (setup.data === undefined || session.isPending) return;
    if (!signedIn) return router.replace("/sign-in");
    if (workspaces.data === undefined) return;
    const remembered = lastWorkspace();
    const target = workspaces.data.find((w) => w.id === remembered) ?? workspaces.data[0];
    router.replace(target === undefined ? "/workspaces/new" : `/w/${target.id}/flows`);
  }, [setup.data, session.isPending, signedIn, workspaces.data, router]);

  const error = setup.error ?? workspaces.error;
  if (error !== null) {
    return (
      <div className="p-8 text-center text-sm text-destructive" role="alert">
        Could not load Vizflow: {error.message}
      </div>
    );
  }
  return <PageLoading />;
}
