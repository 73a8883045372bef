import type { Metadata } from "next";
import { PageHeader } from "@/_components/shell/page-header";
import { EmptyState } from "@/_components/ui/empty-state";
import { TaskIcon } from "@/_components/icons";

export const metadata: Metadata = { title: "Tasks" };

export default function TasksPage() {
  return (
    <>
      <PageHeader
        title="Tasks"
        description="The models your flows run: categorization, tagging, regression, detection."
      />
      <EmptyState icon={<TaskIcon width={22} height={22} />} title="No tasks yet">
        <p>
          A task has a type, its labels and one or more model versions (ONNX files with the settings that say how to
          feed and read them); one version is active. Recognition, detection and selector actions in a flow run a task.
        </p>
        <p className="mt-2">Creating tasks and uploading models is not part of this build yet.</p>
      </EmptyState>
    </>
  );
}
