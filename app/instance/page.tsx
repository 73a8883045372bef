"use client";

import Link from "next/link";
import { LogoMark } from "@/_components/icons";
import { InstanceView } from "@/_components/instance/instance-view";
import { PageLoading } from "@/_components/loading";
import { useRequiredUser } from "@/_components/session";
import { PageHeader } from "@/_components/shell/page-header";
import { UserMenu } from "@/_components/shell/user-menu";

/** The instance operator's page, outside any workspace. The server refuses everyone else. */
export default function InstancePage() {
  const user = useRequiredUser();
  if (user === undefined) return <PageLoading />;
  return (
    <div className="flex min-h-screen flex-col">
      <header className="sticky top-0 z-40 flex h-14 items-center gap-3 border-b bg-background/95 px-4 backdrop-blur sm:px-6">
        <Link href="/" className="flex items-center gap-2.5 font-semibold tracking-tight">
          <LogoMark width={24} height={24} />
          Vizflow
        </Link>
        <div className="ml-auto flex items-center gap-3">
          <Link href="/" className="text-sm font-medium text-primary hover:underline">
            Your workspaces
          </Link>
          <UserMenu user={user} />
        </div>
      </header>
      <main className="mx-auto w-full max-w-5xl flex-1 px-4 py-8 sm:px-6 lg:px-8">
        <PageHeader
          title="Instance"
          description="What the operator of this instance decides: who may sign up, every workspace's plan and credits, the operators."
        />
        <InstanceView />
      </main>
    </div>
  );
}
