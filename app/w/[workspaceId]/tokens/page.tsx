"use client";

import { PageHeader } from "@/_components/shell/page-header";
import { useWorkspace } from "@/_components/shell/workspace-context";
import { hasRole } from "@/_components/roles";
import { CreateTokenCard, TokenList } from "@/_components/tokens/api-tokens";
import { EmptyState } from "@/_components/ui/empty-state";
import { TokenIcon } from "@/_components/icons";

export default function TokensPage() {
  const workspace = useWorkspace();
  return (
    <>
      <PageHeader title="API tokens" description="Keys your product uses to call deployed flows over HTTP." />
      {hasRole(workspace.role, "admin") ? (
        <div className="grid gap-6">
          <CreateTokenCard />
          <TokenList />
        </div>
      ) : (
        <EmptyState icon={<TokenIcon width={22} height={22} />} title="Tokens are managed by admins">
          <p>
            Requests to{" "}
            <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">/v2/flows/&lt;id&gt;/process</code> carry a
            token of this workspace in the Authorization header. Ask an admin or owner of this workspace for one.
          </p>
        </EmptyState>
      )}
    </>
  );
}
