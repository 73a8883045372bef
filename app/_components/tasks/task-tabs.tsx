import Link from "next/link";
import { buttonClasses } from "../ui/button";
import { cn } from "../ui/cn";
import { annotateHref, reviewHref, taskHref, type TaskTab } from "../training/task-routes";

const TABS: readonly { id: TaskTab; title: string }[] = [
  { id: "models", title: "Models" },
  { id: "data", title: "Training data" },
];

/** The task page's tabs (kept in `?tab=`, so a link or a reload lands on the same one) and its tools. */
export function TaskTabs({ workspaceId, taskId, current }: { workspaceId: string; taskId: string; current: TaskTab }) {
  return (
    <div className="mb-6 flex flex-wrap items-end justify-between gap-3 border-b">
      <nav aria-label="Task sections" className="-mb-px flex gap-1">
        {TABS.map((tab) => (
          <Link
            key={tab.id}
            href={taskHref(workspaceId, taskId, tab.id)}
            aria-current={tab.id === current ? "page" : undefined}
            data-tab={tab.id}
            scroll={false}
            className={cn(
              "border-b-2 px-3 py-2 text-sm font-medium transition-colors",
              tab.id === current
                ? "border-primary text-foreground"
                : "border-transparent text-muted-foreground hover:text-foreground",
            )}
          >
            {tab.title}
          </Link>
        ))}
      </nav>
      <div className="flex gap-2 pb-2">
        <Link href={annotateHref(workspaceId, taskId, { filter: {} })} className={buttonClasses("outline", "sm")}>
          Annotate
        </Link>
        <Link href={reviewHref(workspaceId, taskId)} className={buttonClasses("outline", "sm")}>
          Review and jobs
        </Link>
      </div>
    </div>
  );
}
