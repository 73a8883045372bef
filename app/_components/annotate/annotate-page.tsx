"use client";

import Link from "next/link";
import { useEffect, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { authClient } from "@/_lib/auth-client";
import { Annotator } from "../annotator/annotator";
import type { AnnotatorTaskType } from "../annotator/types";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { PageLoading } from "../loading";
import { Button, buttonClasses } from "../ui/button";
import { FormError } from "../ui/field";
import { cn } from "../ui/cn";
import { sourceOfParams, sourceTitle } from "./annotate-source";
import { queueStatus } from "./save-queue";
import { PreannotateDialog } from "./preannotate-dialog";
import { useAnnotateItems } from "./use-annotate-items";

const LINK_REFRESH_MS = 45 * 60_000;

/** This page's address showing the image `imageId`. */
function atHref(imageId: string): string {
  const url = new URL(window.location.href);
  url.searchParams.set("at", imageId);
  url.searchParams.delete("preannotate");
  return `${url.pathname}${url.search}`;
}

/**
 * The annotate page: the task's chosen images (`?items=`), the member's queue (`?queue=mine`) or the
 * grid's filter, one at a time in the annotator. Every edit is saved at once, in order; a failed save
 * stays on screen with a retry, and its edit stays shown.
 */
export function AnnotatePage({ taskId, search }: { taskId: string; search: Record<string, string | undefined> }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const session = authClient.useSession();
  const params = useMemo(
    () => new URLSearchParams(Object.entries(search).filter((e): e is [string, string] => e[1] !== undefined)),
    [search],
  );
  const source = useMemo(() => sourceOfParams(params), [params]);
  const task = useQuery(trpc.task.get.queryOptions({ workspaceId: workspace.id, taskId }));
  const { loaded, items, images, queue, push, retry, refresh, annotationNow } = useAnnotateItems(
    workspace.id,
    taskId,
    source,
  );
  // Null until the person moves: then the image named by `?at=` (kept there, so a reload comes back).
  const [index, setIndex] = useState<number | null>(null);
  const [notice, setNotice] = useState<string | undefined>();
  const [preannotating, setPreannotating] = useState(params.get("preannotate") === "1");
  const canEdit = hasRole(workspace.role, "editor");
  const taskHref = `/w/${workspace.id}/tasks/${taskId}`;
  const imageIds = useMemo(() => (loaded.data ?? []).map((i) => i.imageId), [loaded.data]);

  // Signed links last an hour: fetch fresh ones well before, for a long session.
  useEffect(() => {
    if (imageIds.length === 0) return;
    const timer = window.setInterval(() => void refresh(imageIds), LINK_REFRESH_MS);
    return () => window.clearInterval(timer);
  }, [imageIds, refresh]);

  if (task.error || loaded.error) {
    return (
      <div className="grid gap-3">
        <FormError message={(task.error ?? loaded.error)?.message} />
        <Link href={taskHref} className="text-sm underline">
          Back to the task
        </Link>
      </div>
    );
  }
  if (task.data === undefined || loaded.data === undefined) return <PageLoading label="Loading the images…" />;

  const t = task.data;
  const taskType: AnnotatorTaskType = t.type;
  const named = images.findIndex((i) => i.id === params.get("at"));
  const at = Math.min(index ?? Math.max(named, 0), Math.max(images.length - 1, 0));
  const userId = session.data?.user.id;
  const mine = userId === undefined ? 0 : items.filter((i) => i.confirmedBy.includes(userId)).length;
  const status = queueStatus(queue);

  const confirm = (imageId: string) => {
    const annotation = annotationNow(imageId);
    if (annotation === null || annotation === undefined) {
      if (taskType !== "detection") {
        const name = items.find((i) => i.imageId === imageId)?.fileName ?? "This image";
        setNotice(`${name} has no annotation yet: annotate it before confirming.`);
        return;
      }
      // A detection image can rightly have nothing on it: confirming says so.
      push({ kind: "save", imageId, annotation: { kind: "boxes", boxes: [] } });
    }
    setNotice(undefined);
    push({ kind: "confirm", imageId });
  };

  return (
    <div className="grid gap-2" data-annotate-page>
      {/* Two rows of fixed height: a save status or a notice coming and going never moves the image. */}
      <div className="flex h-9 items-center gap-4">
        <Link href={taskHref} className="shrink-0 text-sm text-muted-foreground hover:text-foreground hover:underline">
          ← {t.name}
        </Link>
        <h1 className="min-w-0 truncate text-lg font-semibold">
          Annotate <span className="font-normal text-muted-foreground">· {sourceTitle(source)}</span>
        </h1>
        <div className="ml-auto flex shrink-0 gap-2">
          {canEdit && (
            <Button size="sm" variant="outline" disabled={images.length === 0} onClick={() => setPreannotating(true)}>
              Pre-annotate…
            </Button>
          )}
          <Link href={`${taskHref}/review`} className={buttonClasses("outline", "sm")}>
            Review and jobs
          </Link>
        </div>
      </div>
      <div className="flex h-8 min-w-0 items-center gap-4 text-sm">
        {images.length > 0 && (
          <span data-progress className="shrink-0 tabular-nums text-muted-foreground">
            Image {at + 1} of {images.length}
            {canEdit && ` · ${mine} confirmed by you`}
          </span>
        )}
        <span
          data-save-status={status.tone}
          role={status.tone === "error" ? "alert" : "status"}
          className={cn(
            "min-w-0 truncate",
            status.tone === "error" ? "font-medium text-destructive" : "text-muted-foreground",
          )}
          title={status.text}
        >
          {canEdit ? status.text : "View only: viewers cannot change annotations"}
        </span>
        {status.tone === "error" && (
          <Button size="sm" variant="outline" onClick={retry}>
            Retry
          </Button>
        )}
        {notice !== undefined && (
          <span role="alert" title={notice} className="min-w-0 truncate rounded bg-amber-50 px-2 py-0.5 text-amber-900">
            {notice}
          </span>
        )}
      </div>
      {images.length === 0 ? (
        <p className="rounded-md border p-6 text-sm text-muted-foreground">
          {source.kind === "queue"
            ? "Your queue is empty: no job gives you images that still need your check."
            : "No images here. Import images on the task's Training data tab, or change the filter."}
        </p>
      ) : (
        <Annotator
          taskType={taskType}
          labels={[...t.labels]}
          images={images}
          index={at}
          readOnly={!canEdit}
          height="calc(100vh - 17rem)"
          onIndexChange={(next) => {
            setNotice(undefined);
            setIndex(next);
            const image = images[next];
            if (image !== undefined) window.history.replaceState(null, "", atHref(image.id));
          }}
          onChange={(imageId, annotation) => push({ kind: "save", imageId, annotation })}
          onConfirm={confirm}
          onAcceptProposal={(imageId) => push({ kind: "confirm", imageId })}
          onRejectProposal={(imageId) => push({ kind: "reject", imageId })}
        />
      )}
      {preannotating && (
        <PreannotateDialog
          taskId={taskId}
          taskType={t.type}
          imageIds={images.map((i) => i.id)}
          onClose={() => setPreannotating(false)}
          onDone={() => refresh(images.map((i) => i.id))}
        />
      )}
    </div>
  );
}
