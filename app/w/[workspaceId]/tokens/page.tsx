import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { EmptyState } from "@/_components/ui/empty-state";
import { TokenIcon } from "@/_components/icons";

export const metadata: Metadata = { title: "API tokens" };

export default function TokensPage() {
  return (
    <>
      <PageHeader title="API tokens" description="Keys your product uses to call deployed flows over HTTP." />
      <EmptyState icon={<TokenIcon width={22} height={22} />} title="No API tokens">
        <p>
          Requests to{" "}
          <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">/v2/flows/&lt;id&gt;/process</code> carry a
          token in the <code className="rounded bg-muted px-1 py-0.5 font-mono text-xs">Authorization</code> header. A
          token belongs to this workspace only, is shown once when created, is stored hashed and can be revoked at any
          time.
        </p>
        <p className="mt-2">Creating tokens is not part of this build yet.</p>
      </EmptyState>
    </>
  );
}
