import type { Metadata } from "next";
import { ReviewPage } from "@/_components/annotate/review-page";

export const metadata: Metadata = { title: "Review" };

export default async function TaskReviewPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  return <ReviewPage taskId={taskId} />;
}
