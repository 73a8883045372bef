import type { Metadata } from "next";
import { TaskPage } from "@/_components/tasks/task-page";

export const metadata: Metadata = { title: "Task" };

export default async function TaskDetailPage({ params }: { params: Promise<{ taskId: string }> }) {
  const { taskId } = await params;
  return <TaskPage taskId={taskId} />;
}
