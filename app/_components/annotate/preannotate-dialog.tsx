"use client";

import { useEffect, useRef, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { ProgressBar } from "../tasks/progress-bar";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { cn } from "../ui/cn";
import {
  modelNote,
  modelTitle,
  noModelReason,
  runSummary,
  sortedModels,
  TERMINAL_RUN_STATUSES,
  type PreannotationRunView,
} from "./preannotate-models";

/**
 * Pick a model version (this task's, or another task's of the same type), run it on the page's images,
 * follow the run and cancel it; when it ends, `onDone` fetches the proposals into the annotator.
 */
export function PreannotateDialog({
  taskId,
  taskType,
  imageIds,
  onClose,
  onDone,
}: {
  taskId: string;
  taskType: string;
  imageIds: string[];
  onClose: () => void;
  onDone: () => Promise<void> | void;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const models = useQuery(trpc.trainingSet.preannotationModels.queryOptions({ workspaceId: workspace.id, taskId }));
  const [picked, setPicked] = useState<string | undefined>();
  const [runId, setRunId] = useState<string | undefined>();
  const start = useMutation(trpc.trainingSet.preannotate.mutationOptions({ onSuccess: (r) => setRunId(r.runId) }));
  const cancel = useMutation(trpc.trainingSet.cancelPreannotation.mutationOptions());
  const run = useQuery({
    ...trpc.trainingSet.preannotationRun.queryOptions({ workspaceId: workspace.id, runId: runId ?? "" }),
    enabled: runId !== undefined,
    refetchInterval: (query) => {
      const status = query.state.data?.status;
      return status !== undefined && TERMINAL_RUN_STATUSES.includes(status) ? false : 700;
    },
  });
  const view = run.data as PreannotationRunView | undefined;
  const finished = view !== undefined && TERMINAL_RUN_STATUSES.includes(view.status);

  // The proposals come into the annotator once, when the run ends.
  const reported = useRef(false);
  const onDoneRef = useRef(onDone);
  useEffect(() => {
    onDoneRef.current = onDone;
  });
  useEffect(() => {
    if (!finished || reported.current) return;
    reported.current = true;
    void onDoneRef.current();
  }, [finished]);

  const list = sortedModels(models.data ?? []);
  const usable = list.filter((m) => m.usable);
  const choice = picked ?? usable[0]?.modelVersionId;
  const none = models.data === undefined ? undefined : noModelReason(list, taskType);
  const count = `${imageIds.length} ${imageIds.length === 1 ? "image" : "images"}`;

  const footer =
    runId === undefined ? (
      <>
        <Button variant="outline" onClick={onClose}>
          Close
        </Button>
        <Button
          disabled={choice === undefined}
          pending={start.isPending}
          onClick={() =>
            choice !== undefined &&
            start.mutate({ workspaceId: workspace.id, taskId, modelVersionId: choice, imageIds })
          }
        >
          Propose for {count}
        </Button>
      </>
    ) : finished ? (
      <Button onClick={onClose}>Show the proposals</Button>
    ) : (
      <>
        <Button
          variant="outline"
          pending={cancel.isPending}
          onClick={() => cancel.mutate({ workspaceId: workspace.id, runId })}
        >
          Cancel the run
        </Button>
        <Button variant="outline" onClick={onClose}>
          Hide (it keeps running)
        </Button>
      </>
    );

  return (
    <Dialog
      open
      onClose={onClose}
      className="max-w-lg"
      title="Pre-annotate with a model"
      description={`A model proposes ${taskType === "detection" ? "boxes" : "labels"} for the ${count} on this page. Proposals stay marked until you accept, edit or reject them; images someone already annotated keep their annotation.`}
      footer={footer}
    >
      {runId === undefined ? (
        <div className="grid gap-2" role="radiogroup" aria-label="Model version">
          {models.data === undefined && !models.error && (
            <p className="text-sm text-muted-foreground">Loading models…</p>
          )}
          {none !== undefined && (
            <p data-no-model className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900">
              {none}
            </p>
          )}
          <div className="grid max-h-72 gap-2 overflow-y-auto">
            {list.map((m) => {
              const note = modelNote(m);
              return (
                <label
                  key={m.modelVersionId}
                  data-model-choice={m.taskName}
                  className={cn(
                    "flex gap-2 rounded-md border p-2 text-sm",
                    m.usable ? "cursor-pointer hover:bg-accent" : "opacity-60",
                    choice === m.modelVersionId && "border-primary bg-primary/5",
                  )}
                >
                  <input
                    type="radio"
                    name="preannotation-model"
                    value={m.modelVersionId}
                    disabled={!m.usable}
                    checked={choice === m.modelVersionId}
                    onChange={() => setPicked(m.modelVersionId)}
                    className="mt-0.5"
                  />
                  <span className="grid gap-0.5">
                    <span className="font-medium">{modelTitle(m)}</span>
                    {note !== undefined && <span className="text-xs text-muted-foreground">{note}</span>}
                  </span>
                </label>
              );
            })}
          </div>
          <FormError message={models.error?.message ?? start.error?.message} />
        </div>
      ) : (
        <div className="grid gap-2" data-preannotation-run={view?.status ?? "queued"}>
          <ProgressBar
            fraction={view === undefined || view.total === 0 ? 0 : view.processed / view.total}
            label={view === undefined ? "Starting…" : `${view.processed} of ${view.total} images`}
          />
          <p data-run-summary className="text-sm">
            {view === undefined ? "Starting…" : runSummary(view)}
          </p>
          {view !== undefined && view.failures.length > 0 && (
            <ul className="max-h-32 overflow-y-auto text-xs text-destructive">
              {view.failures.slice(0, 20).map((f) => (
                <li key={f.fileName}>
                  {f.fileName}: {f.reason}
                </li>
              ))}
            </ul>
          )}
          <FormError message={run.error?.message ?? cancel.error?.message} />
        </div>
      )}
    </Dialog>
  );
}
