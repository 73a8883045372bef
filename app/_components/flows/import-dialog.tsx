"use client";

import { useMutation } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { useWorkspace } from "../shell/workspace-context";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError, TextField } from "../ui/field";
import { Select } from "../ui/select";

/** Largest file read in the browser; a real export is a few kilobytes (labels included). */
const MAX_FILE_BYTES = 5 * 1024 * 1024;
/** The select's value for "leave this choice to the editor". */
const LATER = "";

interface NeededLabel {
  node: string;
  label: string;
}

interface TaskOption {
  id: string;
  name: string;
  type: string;
  labels: string[];
}

function missingLabels(needed: readonly NeededLabel[], task: TaskOption | undefined): NeededLabel[] {
  return task === undefined ? [] : needed.filter((n) => !task.labels.includes(n.label));
}

/** Reads a chosen file as JSON, or says why it cannot. */
async function readJson(file: File): Promise<{ ok: true; value: unknown } | { ok: false; message: string }> {
  if (file.size > MAX_FILE_BYTES) {
    return {
      ok: false,
      message: `The file has ${(file.size / 1024 / 1024).toFixed(1)} MB; a flow export is far smaller.`,
    };
  }
  try {
    return { ok: true, value: JSON.parse(await file.text()) as unknown };
  } catch (error) {
    return {
      ok: false,
      message: `“${file.name}” is not JSON (${error instanceof Error ? error.message : "unreadable"}); choose a file exported from a flow version.`,
    };
  }
}

/**
 * Imports a flow export file as a new flow: lists each task of the file with a picker of this workspace's
 * tasks of the same type (preselected by name), and each nested flow with a picker of its flows.
 */
export function ImportFlowDialog({
  onClose,
  onImported,
}: {
  onClose: () => void;
  onImported: (flowId: string) => void;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [file, setFile] = useState<unknown>();
  const [readError, setReadError] = useState<string | undefined>();
  const [name, setName] = useState("");
  const [tasks, setTasks] = useState<Record<string, string>>({});
  const [flows, setFlows] = useState<Record<string, string>>({});
  const preview = useMutation(
    trpc.flowTransfer.previewImport.mutationOptions({
      onSuccess: (data) => {
        setName(data.flow.name);
        setTasks(Object.fromEntries(data.tasks.map((t) => [t.ref, t.suggested ?? LATER])));
        setFlows(Object.fromEntries(data.flows.map((f) => [f.ref, f.suggested ?? LATER])));
      },
    }),
  );
  const importFlow = useMutation(trpc.flowTransfer.import.mutationOptions());

  const choose = async (chosen: File | undefined) => {
    setReadError(undefined);
    preview.reset();
    importFlow.reset();
    if (chosen === undefined) return;
    const read = await readJson(chosen);
    if (!read.ok) {
      setReadError(read.message);
      return;
    }
    setFile(read.value);
    preview.mutate({ workspaceId: workspace.id, file: read.value });
  };
  const data = preview.data;
  const submit = () => {
    if (data === undefined) return;
    const asNull = (record: Record<string, string>) =>
      Object.fromEntries(Object.entries(record).map(([ref, id]) => [ref, id === LATER ? null : id]));
    importFlow.mutate(
      { workspaceId: workspace.id, file, name, tasks: asNull(tasks), flows: asNull(flows) },
      { onSuccess: (result) => onImported(result.id) },
    );
  };
  const nameError = fieldErrors(importFlow.error).name;

  return (
    <Dialog
      open
      onClose={onClose}
      title="Import a flow"
      className="max-h-[90vh] overflow-y-auto sm:max-w-2xl"
      description="Choose a file exported from a flow version. The import becomes a new flow; map the tasks it uses to this workspace's."
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button disabled={data === undefined} pending={importFlow.isPending} onClick={submit}>
            Import and open
          </Button>
        </>
      }
    >
      <label className="grid gap-1 text-sm font-medium">
        Export file
        <input
          type="file"
          accept=".json,application/json"
          aria-label="Export file"
          className="text-sm file:mr-3 file:rounded-md file:border file:bg-background file:px-3 file:py-1.5 file:text-sm"
          onChange={(e) => void choose(e.target.files?.[0])}
        />
      </label>
      <FormError message={readError ?? preview.error?.message} />
      {preview.isPending && <p className="text-sm text-muted-foreground">Reading the file…</p>}
      {data !== undefined && (
        <div className="grid gap-4" data-import-preview>
          <p className="text-sm">
            <strong>{data.flow.name}</strong>, version {data.flow.version}
            {data.flow.message ? ` (“${data.flow.message}”)` : ""}.
          </p>
          <TextField
            id="import-name"
            label="Name of the new flow"
            value={name}
            onChange={(e) => setName(e.target.value)}
            error={nameError}
          />
          {data.tasks.length > 0 && (
            <fieldset className="grid gap-3">
              <legend className="mb-1 text-sm font-medium">Tasks</legend>
              {data.tasks.map((task) => {
                const options = data.workspaceTasks.filter((t) => t.type === task.type);
                const chosen = options.find((t) => t.id === tasks[task.ref]);
                const missing = missingLabels(task.needed, chosen);
                return (
                  <div key={task.ref} className="grid gap-1 rounded-md border p-3 text-sm" data-import-task={task.name}>
                    <label className="grid gap-1">
                      <span>
                        <strong>{task.name}</strong>{" "}
                        <span className="text-muted-foreground">
                          ({task.type}, {task.labels.length} label{task.labels.length === 1 ? "" : "s"})
                        </span>
                      </span>
                      <Select
                        aria-label={`Task for “${task.name}”`}
                        value={tasks[task.ref] ?? LATER}
                        onChange={(e) => setTasks((prev) => ({ ...prev, [task.ref]: e.target.value }))}
                      >
                        <option value={LATER}>Choose later (the node asks for a task)</option>
                        {options.map((t) => {
                          const lacks = missingLabels(task.needed, t).map((n) => n.label);
                          return (
                            <option key={t.id} value={t.id}>
                              {t.name}
                              {lacks.length > 0 ? ` (lacks ${[...new Set(lacks)].join(", ")})` : ""}
                            </option>
                          );
                        })}
                      </Select>
                    </label>
                    {options.length === 0 && (
                      <p className="text-xs text-muted-foreground">
                        This workspace has no {task.type} task; create one first or choose later.
                      </p>
                    )}
                    {task.needed.length > 0 && (
                      <p className="text-xs text-muted-foreground">
                        The flow names its labels {[...new Set(task.needed.map((n) => `“${n.label}”`))].join(", ")}.
                      </p>
                    )}
                    {chosen !== undefined &&
                      missing.map((m) => (
                        <p key={`${m.node}-${m.label}`} className="text-xs text-destructive" role="alert">
                          {m.node} names label “{m.label}”, which “{chosen.name}” lacks.
                        </p>
                      ))}
                  </div>
                );
              })}
            </fieldset>
          )}
          {data.flows.length > 0 && (
            <fieldset className="grid gap-3">
              <legend className="mb-1 text-sm font-medium">Nested flows</legend>
              {data.flows.map((flow) => (
                <label key={flow.ref} className="grid gap-1 rounded-md border p-3 text-sm">
                  <strong>{flow.name}</strong>
                  <Select
                    aria-label={`Flow for “${flow.name}”`}
                    value={flows[flow.ref] ?? LATER}
                    onChange={(e) => setFlows((prev) => ({ ...prev, [flow.ref]: e.target.value }))}
                  >
                    <option value={LATER}>Choose later (the node asks for a flow)</option>
                    {data.workspaceFlows.map((f) => (
                      <option key={f.id} value={f.id}>
                        {f.name}
                      </option>
                    ))}
                  </Select>
                </label>
              ))}
            </fieldset>
          )}
          <FormError message={nameError === undefined ? importFlow.error?.message : undefined} />
        </div>
      )}
    </Dialog>
  );
}
