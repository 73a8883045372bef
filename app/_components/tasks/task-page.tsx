"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { formErrorMessage } from "../trpc-errors";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { PageHeader } from "../shell/page-header";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { FormError, TextField } from "../ui/field";
import { Input } from "../ui/input";
import { PageLoading } from "../loading";
import { Evaluations } from "./evaluations";
import { ModelVersions } from "./model-versions";
import { labelNames } from "@vizflow/sdk";
import { LabelListField } from "./label-list-field";
import { TaskTabs } from "./task-tabs";
import { tabOfParams } from "../training/task-routes";
import { TrainingData } from "../training/training-data";
import { TASK_TYPE_INFO } from "./task-types";
import { TryModel } from "./try-model";

/**
 * One task, in two tabs: its models (labels, the flows using it, model versions, trying a model,
 * evaluation) and its training data.
 */
export function TaskPage({ taskId }: { taskId: string }) {
  const workspace = useWorkspace();
  const tab = tabOfParams(useSearchParams());
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const task = useQuery(trpc.task.get.queryOptions({ workspaceId: workspace.id, taskId }));
  const versions = useQuery(trpc.modelVersion.list.queryOptions({ workspaceId: workspace.id, taskId }));
  const canEdit = hasRole(workspace.role, "editor");
  const [renaming, setRenaming] = useState(false);
  const [deleting, setDeleting] = useState(false);
  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.task.get.queryKey() });
  const remove = useMutation(
    trpc.task.delete.mutationOptions({ onSuccess: () => router.push(`/w/${workspace.id}/tasks`) }),
  );

  if (task.data === undefined) {
    return task.error ? (
      <div className="grid gap-3">
        <FormError message={task.error.message} />
        <Link href={`/w/${workspace.id}/tasks`} className="text-sm underline">
          Back to tasks
        </Link>
      </div>
    ) : (
      <PageLoading />
    );
  }
  const t = task.data;
  const versionOptions = (versions.data ?? []).map((v) => ({ id: v.id, version: v.version, active: v.active }));
  return (
    <>
      <PageHeader
        title={t.name}
        description={`${TASK_TYPE_INFO[t.type].title} task · ${TASK_TYPE_INFO[t.type].description}`}
        action={
          canEdit ? (
            <div className="flex gap-2">
              <Button variant="outline" onClick={() => setRenaming(true)}>
                Rename
              </Button>
              <Button variant="outline" onClick={() => setDeleting(true)}>
                Delete
              </Button>
            </div>
          ) : undefined
        }
      />
      <TaskTabs workspaceId={workspace.id} taskId={t.id} current={tab} />
      {tab === "data" ? (
        <TrainingData task={{ id: t.id, type: t.type, labels: t.labels }} canEdit={canEdit} />
      ) : (
        <div className="grid gap-6">
          <div className="grid gap-6 lg:grid-cols-2">
            <Labels taskId={t.id} labels={t.labels} canEdit={canEdit} onChange={refresh} />
            <Card>
              <CardHeader>
                <CardTitle>Used by flows</CardTitle>
                <CardDescription>Saved flow versions that run this task.</CardDescription>
              </CardHeader>
              <CardContent>
                {t.flows.length === 0 ? (
                  <p className="text-sm text-muted-foreground">No flow uses this task yet.</p>
                ) : (
                  <ul className="grid gap-2 text-sm">
                    {t.flows.map((f) => (
                      <li key={f.flowId} className="flex items-center gap-2">
                        <Link href={`/w/${workspace.id}/flows/${f.flowId}`} className="font-medium hover:underline">
                          {f.flowName}
                        </Link>
                        <span className="text-muted-foreground">
                          version{f.versions.length === 1 ? "" : "s"} {f.versions.join(", ")}
                        </span>
                        {f.deployedVersionUses && <Badge>deployed v{f.deployedVersion}</Badge>}
                      </li>
                    ))}
                  </ul>
                )}
              </CardContent>
            </Card>
          </div>
          <ModelVersions
            task={{ id: t.id, type: t.type, labels: t.labels }}
            versions={versions.data ?? []}
            error={versions.error?.message}
            canEdit={canEdit}
          />
          <TryModel taskId={t.id} versions={versionOptions} />
          <Evaluations task={{ id: t.id, type: t.type }} versions={versionOptions} />
        </div>
      )}
      {renaming && <RenameDialog taskId={t.id} name={t.name} onClose={() => setRenaming(false)} onDone={refresh} />}
      <Dialog
        open={deleting}
        onClose={() => setDeleting(false)}
        title={`Delete ${t.name}?`}
        description="Its labels, model versions, test sets and evaluations go with it. Refused while a saved flow version uses the task."
        footer={
          <>
            <Button variant="outline" onClick={() => setDeleting(false)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              pending={remove.isPending}
              onClick={() => remove.mutate({ workspaceId: workspace.id, taskId: t.id })}
            >
              Delete task
            </Button>
          </>
        }
      >
        <FormError message={remove.error?.message} />
      </Dialog>
    </>
  );
}

function Labels({
  taskId,
  labels,
  canEdit,
  onChange,
}: {
  taskId: string;
  labels: readonly string[];
  canEdit: boolean;
  onChange: () => Promise<void>;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [adding, setAdding] = useState("");
  const [filter, setFilter] = useState("");
  const add = useMutation(
    trpc.task.addLabels.mutationOptions({
      onSuccess: async () => {
        setAdding("");
        await onChange();
      },
    }),
  );
  const remove = useMutation(trpc.task.deleteLabel.mutationOptions({ onSuccess: onChange }));
  const numbered = labels.map((label, i) => ({ label, position: i + 1 }));
  const shown = filter === "" ? numbered : numbered.filter((l) => l.label.toLowerCase().includes(filter.toLowerCase()));
  return (
    <Card>
      <CardHeader>
        <CardTitle>Labels ({labels.length})</CardTitle>
        <CardDescription>
          In the model&apos;s output order. A label a saved flow version uses cannot be deleted.
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3">
        {labels.length > 20 && (
          <Input
            type="search"
            aria-label="Filter labels"
            placeholder="Filter labels"
            value={filter}
            onChange={(e) => setFilter(e.target.value)}
          />
        )}
        <ol className="grid max-h-72 overflow-y-auto rounded-md border text-sm" aria-label="Labels">
          {shown.slice(0, 1000).map(({ label, position }) => (
            <li key={label} className="flex items-center gap-2 border-b px-2 py-0.5 last:border-b-0" data-label={label}>
              <span className="w-10 shrink-0 text-right text-xs tabular-nums text-muted-foreground">{position}</span>
              <span className="min-w-0 flex-1 break-words">{label}</span>
              {canEdit && (
                <button
                  type="button"
                  aria-label={`Delete label ${label}`}
                  className="rounded px-1 text-muted-foreground hover:bg-destructive/10 hover:text-destructive"
                  onClick={() => remove.mutate({ workspaceId: workspace.id, taskId, label })}
                >
                  ×
                </button>
              )}
            </li>
          ))}
          {shown.length === 0 && (
            <li className="px-2 py-1 text-xs text-muted-foreground">
              {labels.length === 0 ? "No labels yet." : "No label matches."}
            </li>
          )}
          {shown.length > 1000 && (
            <li className="px-2 py-1 text-xs text-muted-foreground">and {shown.length - 1000} more…</li>
          )}
        </ol>
        <FormError message={remove.error?.message} />
        {canEdit && (
          <form
            className="grid gap-2"
            onSubmit={(e) => {
              e.preventDefault();
              add.mutate({ workspaceId: workspace.id, taskId, labels: labelNames(adding) });
            }}
          >
            <LabelListField
              id="new-labels"
              label="New labels"
              value={adding}
              onChange={setAdding}
              taken={labels}
              rows={2}
              hint="Added after the others, one per line. An id before the name (n02123045 tabby, tabby cat) is dropped with the other names of its list."
            />
            <div>
              <Button
                type="submit"
                variant="outline"
                pending={add.isPending}
                disabled={labelNames(adding).length === 0}
              >
                Add
              </Button>
            </div>
          </form>
        )}
        <FormError message={add.error?.message} />
      </CardContent>
    </Card>
  );
}

function RenameDialog({
  taskId,
  name,
  onClose,
  onDone,
}: {
  taskId: string;
  name: string;
  onClose: () => void;
  onDone: () => Promise<void>;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [value, setValue] = useState(name);
  const rename = useMutation(
    trpc.task.rename.mutationOptions({
      onSuccess: async () => {
        await onDone();
        onClose();
      },
    }),
  );
  return (
    <Dialog
      open
      onClose={onClose}
      title="Rename task"
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="rename-task" pending={rename.isPending}>
            Rename
          </Button>
        </>
      }
    >
      <form
        id="rename-task"
        onSubmit={(e) => {
          e.preventDefault();
          rename.mutate({ workspaceId: workspace.id, taskId, name: value });
        }}
        className="grid gap-3"
      >
        <FormError message={formErrorMessage(rename.error, ["name"])} />
        <TextField
          id="rename-task-name"
          label="Name"
          value={value}
          onChange={(e) => setValue(e.target.value)}
          error={fieldErrors(rename.error).name}
          autoFocus
        />
      </form>
    </Dialog>
  );
}
