"use client";

import Link from "next/link";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { authClient } from "@/_lib/auth-client";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { PageLoading } from "../loading";
import { ProgressBar } from "../tasks/progress-bar";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/field";
import { Input } from "../ui/input";
import { annotateHref } from "./annotate-source";
import { CreateJobs } from "./create-jobs";

/** Review of a task's training set: how many checks an image needs, where the set stands, and the jobs. */
export function ReviewPage({ taskId }: { taskId: string }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const session = authClient.useSession();
  const input = { workspaceId: workspace.id, taskId };
  const task = useQuery(trpc.task.get.queryOptions(input));
  const counts = useQuery(trpc.trainingSet.counts.queryOptions(input));
  const jobs = useQuery(trpc.trainingSet.jobs.queryOptions(input));
  const members = useQuery(trpc.member.list.queryOptions({ workspaceId: workspace.id }));
  const isAdmin = hasRole(workspace.role, "admin");
  const taskHref = `/w/${workspace.id}/tasks/${taskId}`;
  const refresh = async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.trainingSet.counts.queryKey(input) });
    await queryClient.invalidateQueries({ queryKey: trpc.trainingSet.jobs.queryKey() });
  };

  if (task.error) {
    return (
      <div className="grid gap-3">
        <FormError message={task.error.message} />
        <Link href={`/w/${workspace.id}/tasks`} className="text-sm underline">
          Back to tasks
        </Link>
      </div>
    );
  }
  if (task.data === undefined) return <PageLoading />;
  const names = new Map((members.data ?? []).map((m) => [m.userId, m.name || m.email]));
  const userId = session.data?.user.id;
  const myJobs = (jobs.data ?? []).filter((j) => j.assigneeId === userId);
  const myLeft = myJobs.reduce((n, j) => n + j.imageCount - j.done, 0);
  const c = counts.data;

  return (
    <div className="grid gap-6" data-review-page>
      <div className="flex flex-wrap items-center gap-x-4 gap-y-2">
        <Link href={taskHref} className="text-sm text-muted-foreground hover:text-foreground hover:underline">
          ← {task.data.name}
        </Link>
        <h1 className="text-2xl font-semibold tracking-tight">Review and jobs</h1>
        <div className="ml-auto flex gap-2">
          <Link
            href={annotateHref(workspace.id, taskId, { kind: "filter", filter: {} })}
            className={buttonClasses("outline")}
          >
            Annotate all images
          </Link>
          <Link
            data-my-queue
            href={annotateHref(workspace.id, taskId, { kind: "queue" })}
            className={buttonClasses("primary")}
          >
            My queue{myJobs.length > 0 ? ` (${myLeft} left)` : ""}
          </Link>
        </div>
      </div>

      <Card>
        <CardHeader>
          <CardTitle>Where the set stands</CardTitle>
          <CardDescription>
            An image is labelled once someone annotated it, and verified once{" "}
            {c === undefined ? "enough" : c.checksRequired} different {c?.checksRequired === 1 ? "member" : "members"}{" "}
            confirmed it. A model&apos;s proposal counts as unlabelled until a person accepts it.
          </CardDescription>
        </CardHeader>
        <CardContent className="grid gap-4">
          <FormError message={counts.error?.message} />
          {c !== undefined && (
            <dl className="grid grid-cols-2 gap-3 sm:grid-cols-4" data-review-counts>
              {(
                [
                  ["unlabelled", "Unlabelled", c.byStatus.unlabelled],
                  ["labelled", "Labelled", c.byStatus.labelled],
                  ["verified", "Verified", c.byStatus.verified],
                  ["proposed", "Proposed by a model", c.proposed],
                ] as const
              ).map(([key, title, n]) => (
                <div key={key} data-count={key} className="rounded-md border p-3">
                  <dt className="text-xs text-muted-foreground">{title}</dt>
                  <dd className="text-2xl font-semibold tabular-nums">{n}</dd>
                </div>
              ))}
            </dl>
          )}
          {c !== undefined && (
            <ChecksRequired taskId={taskId} current={c.checksRequired} canChange={isAdmin} onSaved={refresh} />
          )}
        </CardContent>
      </Card>

      {isAdmin && (
        <CreateJobs
          taskId={taskId}
          members={(members.data ?? []).filter((m) => hasRole(m.role, "editor"))}
          onCreated={refresh}
        />
      )}

      <Card>
        <CardHeader>
          <CardTitle>Jobs</CardTitle>
          <CardDescription>Each member works through their jobs in &ldquo;My queue&rdquo;.</CardDescription>
        </CardHeader>
        <CardContent>
          <FormError message={jobs.error?.message} />
          {jobs.data !== undefined && jobs.data.length === 0 ? (
            <p className="text-sm text-muted-foreground">No jobs yet.{isAdmin ? " Create some above." : ""}</p>
          ) : (
            <table className="w-full text-sm" data-jobs>
              <thead className="text-left text-xs text-muted-foreground">
                <tr>
                  <th className="py-1 font-medium">Assigned to</th>
                  <th className="py-1 font-medium">Images</th>
                  <th className="w-1/2 py-1 font-medium">Progress</th>
                </tr>
              </thead>
              <tbody>
                {(jobs.data ?? []).map((job) => (
                  <tr key={job.id} data-job={names.get(job.assigneeId) ?? job.assigneeId} className="border-t">
                    <td className="py-2 pr-2">
                      {names.get(job.assigneeId) ?? "A former member"}
                      {job.assigneeId === userId && <span className="text-muted-foreground"> (you)</span>}
                    </td>
                    <td className="py-2 pr-2 tabular-nums">{job.imageCount}</td>
                    <td className="py-2">
                      <ProgressBar
                        fraction={job.imageCount === 0 ? 1 : job.done / job.imageCount}
                        label={`${job.done} of ${job.imageCount} done`}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </CardContent>
      </Card>
    </div>
  );
}

function ChecksRequired({
  taskId,
  current,
  canChange,
  onSaved,
}: {
  taskId: string;
  current: number;
  canChange: boolean;
  onSaved: () => Promise<void>;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [text, setText] = useState<string | undefined>();
  const save = useMutation(
    trpc.trainingSet.setChecksRequired.mutationOptions({
      onSuccess: async () => {
        setText(undefined);
        await onSaved();
      },
    }),
  );
  if (!canChange) {
    return (
      <p className="text-sm">
        Checks per image: <strong>{current}</strong>{" "}
        <span className="text-muted-foreground">(an admin or owner can change this)</span>
      </p>
    );
  }
  const value = text ?? String(current);
  const number = Number(value);
  const valid = Number.isInteger(number) && number >= 1 && number <= 10;
  return (
    <form
      className="flex flex-wrap items-end gap-2"
      onSubmit={(e) => {
        e.preventDefault();
        if (valid) save.mutate({ workspaceId: workspace.id, taskId, checksRequired: number });
      }}
    >
      <label className="grid gap-1 text-sm">
        <span className="font-medium">Checks per image</span>
        <Input
          id="checks-required"
          type="number"
          min={1}
          max={10}
          value={value}
          onChange={(e) => setText(e.target.value)}
          className="w-24"
          aria-invalid={!valid}
        />
      </label>
      <Button type="submit" variant="outline" disabled={!valid || number === current} pending={save.isPending}>
        Save
      </Button>
      <span className="pb-2 text-xs text-muted-foreground">
        {valid ? "How many different members must confirm an image (1 to 10)." : "Enter a whole number from 1 to 10."}
      </span>
      <FormError message={save.error?.message} />
    </form>
  );
}
