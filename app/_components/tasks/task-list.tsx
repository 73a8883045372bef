"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { formErrorMessage } from "../trpc-errors";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError, TextField } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import { EmptyState } from "../ui/empty-state";
import { PlusIcon, TaskIcon } from "../icons";
import { labelNames } from "@vizflow/sdk";
import { LABEL_LIST_HINT, LabelListField } from "./label-list-field";
import { TASK_TYPE_INFO, TASK_TYPES, type TaskType } from "./task-types";

/** The workspace's tasks: search, filter by type, create. */
export function TaskList() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [search, setSearch] = useState("");
  const [type, setType] = useState<TaskType | "">("");
  const deferredSearch = useDeferredValue(search.trim());
  const tasks = useQuery(
    trpc.task.list.queryOptions({
      workspaceId: workspace.id,
      search: deferredSearch,
      ...(type === "" ? {} : { type }),
    }),
  );
  const canEdit = hasRole(workspace.role, "editor");
  const [creating, setCreating] = useState(false);
  const rows = tasks.data ?? [];
  const empty = tasks.data !== undefined && rows.length === 0 && deferredSearch === "" && type === "";

  return (
    <div className="grid gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <Input
          type="search"
          aria-label="Search tasks"
          placeholder="Search tasks by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="sm:max-w-xs"
        />
        <Select
          aria-label="Task type"
          value={type}
          onChange={(e) => setType(e.target.value as TaskType | "")}
          className="sm:max-w-[12rem]"
        >
          <option value="">All types</option>
          {TASK_TYPES.map((t) => (
            <option key={t} value={t}>
              {TASK_TYPE_INFO[t].title}
            </option>
          ))}
        </Select>
        {canEdit && (
          <Button className="sm:ml-auto" onClick={() => setCreating(true)}>
            <PlusIcon width={16} height={16} /> New task
          </Button>
        )}
      </div>
      <FormError message={tasks.error?.message} />
      {tasks.isPending && <p className="text-sm text-muted-foreground">Loading tasks…</p>}
      {empty ? (
        <EmptyState icon={<TaskIcon width={22} height={22} />} title="No tasks yet">
          <p>
            A task has a type, its labels and one or more model versions (ONNX files with the settings that say how to
            feed and read them); one version is active. Recognition, detection and selector actions in a flow run a
            task. {canEdit ? "Create one to upload your first model." : "Editors can create one."}
          </p>
        </EmptyState>
      ) : (
        tasks.data !== undefined && (
          <div className="overflow-x-auto rounded-lg border">
            <table className="w-full text-sm">
              <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
                <tr>
                  <th className="px-4 py-2 font-medium">Name</th>
                  <th className="px-4 py-2 font-medium">Type</th>
                  <th className="px-4 py-2 font-medium">Labels</th>
                  <th className="px-4 py-2 font-medium">Model</th>
                </tr>
              </thead>
              <tbody className="divide-y">
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={4} className="px-4 py-6 text-center text-muted-foreground">
                      No task matches “{deferredSearch}”{type === "" ? "" : ` of type ${TASK_TYPE_INFO[type].title}`}.
                    </td>
                  </tr>
                )}
                {rows.map((task) => (
                  <tr key={task.id} data-task={task.name} className="hover:bg-muted/30">
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/w/${workspace.id}/tasks/${task.id}`} className="hover:underline">
                        {task.name}
                      </Link>
                    </td>
                    <td className="px-4 py-3">{TASK_TYPE_INFO[task.type].title}</td>
                    <td className="max-w-xs px-4 py-3 text-muted-foreground">
                      <TaskLabelsCell labels={task.labels} />
                    </td>
                    <td className="px-4 py-3">
                      {task.activeModelVersionId === undefined ? (
                        <span className="text-muted-foreground">No active model</span>
                      ) : (
                        <Badge>Active model</Badge>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {creating && <CreateTaskDialog onClose={() => setCreating(false)} />}
    </div>
  );
}

/** A task's first labels, one per line (labels contain commas), and how many there are. */
function TaskLabelsCell({ labels }: { labels: readonly string[] }) {
  if (labels.length === 0) return <>None</>;
  const shown = labels.slice(0, 3);
  return (
    <div className="grid gap-0.5 text-xs" title={labels.slice(0, 40).join("\n")}>
      <span>
        {labels.length} label{labels.length === 1 ? "" : "s"}
      </span>
      <ul>
        {shown.map((l, i) => (
          <li key={i} className="truncate text-foreground">
            {l}
          </li>
        ))}
        {labels.length > shown.length && <li>and {labels.length - shown.length} more</li>}
      </ul>
    </div>
  );
}

function CreateTaskDialog({ onClose }: { onClose: () => void }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const [name, setName] = useState("");
  const [type, setType] = useState<TaskType>("categorization");
  const [labels, setLabels] = useState("");
  const create = useMutation(
    trpc.task.create.mutationOptions({
      onSuccess: (task) => router.push(`/w/${workspace.id}/tasks/${task.id}`),
    }),
  );
  const errors = fieldErrors(create.error);
  const labelList = labelNames(labels);
  return (
    <Dialog
      open
      onClose={onClose}
      title="New task"
      description="What the model recognizes. You can add labels later; uploading a model comes next."
      className="sm:max-w-lg"
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="create-task" pending={create.isPending}>
            Create task
          </Button>
        </>
      }
    >
      <form
        id="create-task"
        className="grid gap-4"
        onSubmit={(e) => {
          e.preventDefault();
          create.mutate({ workspaceId: workspace.id, name, type, labels: labelList });
        }}
      >
        <FormError message={formErrorMessage(create.error, ["name", "type", "labels"])} />
        <TextField
          id="task-name"
          label="Name"
          value={name}
          onChange={(e) => setName(e.target.value)}
          error={errors.name}
          autoFocus
          required
        />
        <Field id="task-type" label="Type" error={errors.type} hint={TASK_TYPE_INFO[type].description}>
          {(control) => (
            <Select {...control} value={type} onChange={(e) => setType(e.target.value as TaskType)}>
              {TASK_TYPES.map((t) => (
                <option key={t} value={t}>
                  {TASK_TYPE_INFO[t].title}
                </option>
              ))}
            </Select>
          )}
        </Field>
        <LabelListField
          id="task-labels"
          label="Labels"
          value={labels}
          onChange={setLabels}
          error={errors.labels}
          hint={`${LABEL_LIST_HINT} Regression tasks need none.`}
        />
      </form>
    </Dialog>
  );
}
