import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { UsageView } from "@/_components/usage/usage-view";

export const metadata: Metadata = { title: "Usage" };

export default function UsagePage() {
  return (
    <>
      <PageHeader title="Usage" description="Credits spent by processing, per flow, version and token." />
      <UsageView />
    </>
  );
}
