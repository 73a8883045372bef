import type { Metadata } from "next";
import { FlowEditor } from "@/_components/editor/flow-editor";

export const metadata: Metadata = { title: "Flow editor" };

export default async function FlowEditorPage({ params }: { params: Promise<{ flowId: string }> }) {
  const { flowId } = await params;
  return <FlowEditor flowId={flowId} />;
}
