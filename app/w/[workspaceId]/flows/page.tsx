import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { FlowList } from "@/_components/flows/flow-list";

export const metadata: Metadata = { title: "Flows" };

export default function FlowsPage() {
  return (
    <>
      <PageHeader
        title="Flows"
        description="Computer-vision pipelines of this workspace: draw them, test them on an image, version and deploy them."
      />
      <FlowList />
    </>
  );
}
