"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { buttonClasses } from "../ui/button";
import { annotateHref } from "./annotate-source";

/**
 * The signed-in member's annotation jobs across the workspace's tasks, each with a link to work through
 * it ("my queue"). Shows nothing while the member has none.
 */
export function MyJobs() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const jobs = useQuery(trpc.trainingSet.jobs.queryOptions({ workspaceId: workspace.id, mine: true }));
  const tasks = useQuery(trpc.task.list.queryOptions({ workspaceId: workspace.id, search: "" }));
  const open = new Map<string, { images: number; left: number }>();
  for (const job of jobs.data ?? []) {
    const before = open.get(job.taskId) ?? { images: 0, left: 0 };
    open.set(job.taskId, { images: before.images + job.imageCount, left: before.left + job.imageCount - job.done });
  }
  if (open.size === 0) return null;
  const names = new Map((tasks.data ?? []).map((t) => [t.id, t.name]));
  return (
    <section data-my-jobs aria-label="My annotation jobs" className="mb-6 rounded-lg border bg-card p-4">
      <h2 className="text-sm font-semibold">My annotation jobs</h2>
      <ul className="mt-2 grid gap-2">
        {[...open].map(([taskId, { images, left }]) => (
          <li key={taskId} className="flex flex-wrap items-center gap-3 text-sm">
            <span className="font-medium">{names.get(taskId) ?? "A task"}</span>
            <span className="text-muted-foreground tabular-nums">
              {left === 0 ? `all ${images} done` : `${left} of ${images} ${images === 1 ? "image" : "images"} left`}
            </span>
            <Link
              href={annotateHref(workspace.id, taskId, { kind: "queue" })}
              className={buttonClasses("outline", "sm")}
            >
              Open my queue
            </Link>
          </li>
        ))}
      </ul>
    </section>
  );
}
