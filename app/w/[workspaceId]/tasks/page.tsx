import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { TaskList } from "@/_components/tasks/task-list";
import { MyJobs } from "@/_components/annotate/my-jobs";

export const metadata: Metadata = { title: "Tasks" };

export default function TasksPage() {
  return (
    <>
      <PageHeader
        title="Tasks"
        description="The models your flows run: categorization, tagging, regression, detection."
      />
      <MyJobs />
      <TaskList />
    </>
  );
}
