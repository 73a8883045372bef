"use client";

import { authClient } from "@/_lib/auth-client";
import { InviteCard, PendingInvitations } from "@/_components/members/invitations";
import { MemberList } from "@/_components/members/member-list";
import { PageHeader } from "@/_components/shell/page-header";
import { useWorkspace } from "@/_components/shell/workspace-context";
import { hasRole } from "@/_components/roles";
import { PageLoading } from "@/_components/loading";

export default function MembersPage() {
  const workspace = useWorkspace();
  const session = authClient.useSession();
  const userId = session.data?.user.id;
  const admin = hasRole(workspace.role, "admin");
  return (
    <>
      <PageHeader title="Members" description="Who can work in this workspace, and what each person may do." />
      {userId === undefined ? (
        <PageLoading />
      ) : (
        <div className="grid gap-6">
          {admin && <InviteCard />}
          <MemberList currentUserId={userId} />
          {admin && <PendingInvitations />}
        </div>
      )}
    </>
  );
}
