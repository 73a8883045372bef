import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { EmptyState } from "@/_components/ui/empty-state";
import { UsageIcon } from "@/_components/icons";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="Credits spent by processing, per flow, version and token." />
      <EmptyState icon={<UsageIcon width={22} height={22} />} title="No usage recorded">
        <p>
          Building and editing flows is free; processing costs credits, usually one per image or per object crop that a
          model-backed action runs on. Every request to a deployed flow will be listed here with the records it
          processed and the credits it used.
        </p>
        <p className="mt-2">Nothing has been processed in this workspace.</p>
      </EmptyState>
    </>
  );
}
