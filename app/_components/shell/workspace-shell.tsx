"use client";

import { useEffect, type ReactNode } from "react";
import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { LogoMark } from "../icons";
import { PageLoading } from "../loading";
import { rememberWorkspace } from "../last-workspace";
import { useRequiredUser } from "../session";
import { trpcErrorCode } from "../trpc-errors";
import { buttonClasses } from "../ui/button";
import { SideNav, TabNav } from "./nav";
import { UserMenu } from "./user-menu";
import { WorkspaceProvider } from "./workspace-context";
import { WorkspaceSwitcher } from "./workspace-switcher";

/** The frame of every workspace page: sidebar, top bar with the switcher and user menu, page content. */
export function WorkspaceShell({ workspaceId, children }: { workspaceId: string; children: ReactNode }) {
  const user = useRequiredUser();
  const trpc = useTRPC();
  const workspace = useQuery({
    ...trpc.workspace.get.queryOptions({ workspaceId }),
    enabled: user !== undefined,
    retry: false,
  });

  const found = workspace.data !== undefined;
  useEffect(() => {
    if (found) rememberWorkspace(workspaceId);
  }, [found, workspaceId]);

  if (user === undefined) return <PageLoading />;
  if (workspace.error !== null)
    return <WorkspaceUnavailable code={trpcErrorCode(workspace.error)} message={workspace.error.message} />;
  if (workspace.data === undefined) return <PageLoading />;

  return (
    <WorkspaceProvider value={workspace.data}>
      <div className="flex min-h-screen">
        <aside className="hidden w-60 shrink-0 border-r bg-muted/40 md:block">
          <div className="sticky top-0 flex h-screen flex-col">
            <Link href="/" className="flex h-14 items-center gap-2.5 border-b px-5 font-semibold tracking-tight">
              <LogoMark width={24} height={24} />
              Vizflow
            </Link>
            <SideNav workspaceId={workspaceId} />
          </div>
        </aside>
        <div className="flex min-w-0 flex-1 flex-col">
          <header className="sticky top-0 z-40 flex h-14 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur sm:px-6">
            <Link href="/" className="flex items-center gap-2 font-semibold md:hidden" aria-label="Vizflow home">
              <LogoMark width={24} height={24} />
            </Link>
            <div className="ml-auto flex min-w-0 items-center gap-2">
              <WorkspaceSwitcher current={workspace.data} />
              <UserMenu user={user} />
            </div>
          </header>
          <TabNav workspaceId={workspaceId} />
          <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 lg:px-8">{children}</main>
        </div>
      </div>
    </WorkspaceProvider>
  );
}

function WorkspaceUnavailable({ code, message }: { code: string | undefined; message: string }) {
  const notFound = code === "NOT_FOUND";
  return (
    <div className="flex min-h-screen flex-col items-center justify-center gap-4 px-4 text-center">
      <LogoMark width={36} height={36} />
      <h1 className="text-xl font-semibold">{notFound ? "Workspace not found" : "Could not open this workspace"}</h1>
      <p className="max-w-md text-sm text-muted-foreground">
        {notFound
          ? "It does not exist, or you are not a member of it. Ask one of its admins for an invitation."
          : message}
      </p>
      <Link href="/" className={buttonClasses("outline")}>
        Go to your workspaces
      </Link>
    </div>
  );
}
