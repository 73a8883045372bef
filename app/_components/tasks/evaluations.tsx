"use client";

import { useEffect, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError, TextField } from "../ui/field";
import { Select } from "../ui/select";
import { FailedImages } from "./failed-images";
import { headline, MetricsView, type Metrics } from "./metrics-view";
import { ProgressBar } from "./progress-bar";
import { TestSetImages } from "./test-set-images";
import { CompareEvaluations } from "./compare-evaluations";
import type { TaskType } from "./task-types";
import { uploadForm, type UploadError } from "./upload";

const FORMATS: Record<TaskType, string> = {
  categorization: "A zip with one folder per label: cat/1.jpg, dog/7.png, …",
  tagging: 'A zip with the images and labels.csv (file,label1;label2 per line) or labels.json ({"file": ["a", "b"]}).',
  regression: "A zip with the images and values.csv (file,value per line) or values.json.",
  detection:
    "A zip with the images and the COCO annotations (one .json file: images, annotations with bbox, categories).",
};

interface VersionOption {
  id: string;
  version: number;
  active: boolean;
}

/** Test sets of the task, evaluations of its versions on them, and their metrics side by side. */
export function Evaluations({
  task,
  versions,
}: {
  task: { id: string; type: TaskType };
  versions: readonly VersionOption[];
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const canEdit = hasRole(workspace.role, "editor");
  const testSets = useQuery(trpc.evaluation.testSets.queryOptions({ workspaceId: workspace.id, taskId: task.id }));
  const evaluations = useQuery(
    trpc.evaluation.list.queryOptions(
      { workspaceId: workspace.id, taskId: task.id },
      { refetchInterval: (query) => (query.state.data?.some((e) => e.status === "running") ? 500 : false) },
    ),
  );
  const refreshSets = () => queryClient.invalidateQueries({ queryKey: trpc.evaluation.testSets.queryKey() });
  const refreshEvaluations = () => queryClient.invalidateQueries({ queryKey: trpc.evaluation.list.queryKey() });
  const [versionId, setVersionId] = useState("");
  const [testSetId, setTestSetId] = useState("");
  const [selected, setSelected] = useState<string | undefined>();
  const [compare, setCompare] = useState<string[]>([]);
  const [browsing, setBrowsing] = useState<string | undefined>();
  const start = useMutation(
    trpc.evaluation.start.mutationOptions({
      onSuccess: async (evaluation) => {
        setSelected(evaluation.id);
        await refreshEvaluations();
      },
    }),
  );
  const remove = useMutation(
    trpc.evaluation.deleteTestSet.mutationOptions({
      onSuccess: async () => {
        await Promise.all([refreshSets(), refreshEvaluations()]);
      },
    }),
  );
  const chosenVersion = versionId || (versions.find((v) => v.active)?.id ?? versions[0]?.id ?? "");
  const chosenSet = testSetId || (testSets.data?.[0]?.id ?? "");
  const list = evaluations.data ?? [];
  const shown = list.find((e) => e.id === selected) ?? list[0];

  return (
    <Card>
      <CardHeader>
        <CardTitle>Evaluation</CardTitle>
        <CardDescription>
          Run a model version over a labelled test set: accuracy, precision and recall per label, the confusion matrix
          and the images it got wrong (mAP for detection, MAE and RMSE for regression).
        </CardDescription>
      </CardHeader>
      <CardContent className="grid gap-6">
        <section className="grid gap-3">
          <h3 className="text-sm font-semibold">Test sets</h3>
          <p className="text-xs text-muted-foreground">
            {FORMATS[task.type]} Test images are stored in this workspace until you delete the set.
          </p>
          <FormError message={testSets.error?.message ?? remove.error?.message} />
          {testSets.data !== undefined && testSets.data.length > 0 && (
            <ul className="divide-y rounded-lg border text-sm" aria-label="Test sets">
              {testSets.data.map((set) => (
                <li key={set.id} data-test-set={set.name}>
                  <div className="flex items-center justify-between gap-2 px-3 py-2">
                    <span>
                      <span className="font-medium">{set.name}</span>{" "}
                      <span className="text-muted-foreground">· {set.imageCount} images</span>
                    </span>
                    <span className="flex gap-1">
                      <Button
                        size="sm"
                        variant="ghost"
                        onClick={() => setBrowsing(browsing === set.id ? undefined : set.id)}
                      >
                        {browsing === set.id ? "Hide images" : "Images"}
                      </Button>
                      {canEdit && (
                        <Button
                          size="sm"
                          variant="ghost"
                          pending={remove.isPending && remove.variables.testSetId === set.id}
                          onClick={() => remove.mutate({ workspaceId: workspace.id, testSetId: set.id })}
                        >
                          Delete
                        </Button>
                      )}
                    </span>
                  </div>
                  {browsing === set.id && <TestSetImages testSetId={set.id} />}
                </li>
              ))}
            </ul>
          )}
          {canEdit && (
            <TestSetUpload
              taskId={task.id}
              onUploaded={(id) => {
                setTestSetId(id);
                void refreshSets();
              }}
            />
          )}
        </section>

        {canEdit && (
          <section className="grid gap-3">
            <h3 className="text-sm font-semibold">Run an evaluation</h3>
            <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
              <label className="grid gap-1 text-sm">
                Model version
                <Select
                  value={chosenVersion}
                  onChange={(e) => setVersionId(e.target.value)}
                  aria-label="Model version to evaluate"
                >
                  {versions.map((v) => (
                    <option key={v.id} value={v.id}>
                      v{v.version}
                      {v.active ? " (active)" : ""}
                    </option>
                  ))}
                </Select>
              </label>
              <label className="grid gap-1 text-sm">
                Test set
                <Select
                  value={chosenSet}
                  onChange={(e) => setTestSetId(e.target.value)}
                  aria-label="Test set to evaluate on"
                >
                  {(testSets.data ?? []).map((s) => (
                    <option key={s.id} value={s.id}>
                      {s.name}
                    </option>
                  ))}
                </Select>
              </label>
              <Button
                disabled={chosenVersion === "" || chosenSet === ""}
                pending={start.isPending}
                onClick={() =>
                  start.mutate({
                    workspaceId: workspace.id,
                    taskId: task.id,
                    modelVersionId: chosenVersion,
                    testSetId: chosenSet,
                  })
                }
              >
                Evaluate
              </Button>
            </div>
            <FormError message={start.error?.message} />
          </section>
        )}

        {list.length > 0 && (
          <section className="grid gap-3">
            <h3 className="text-sm font-semibold">Results</h3>
            <div className="overflow-x-auto rounded-lg border">
              <table className="w-full text-sm">
                <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
                  <tr>
                    <th className="px-3 py-2 font-medium">Compare</th>
                    <th className="px-3 py-2 font-medium">Version</th>
                    <th className="px-3 py-2 font-medium">Test set</th>
                    <th className="px-3 py-2 font-medium">Result</th>
                    <th className="px-3 py-2" />
                  </tr>
                </thead>
                <tbody className="divide-y">
                  {list.map((e) => (
                    <tr key={e.id} className={e.id === shown?.id ? "bg-muted/40" : ""}>
                      <td className="px-3 py-2">
                        <input
                          type="checkbox"
                          aria-label={`Compare v${e.modelVersion} on ${e.testSetName}`}
                          disabled={e.status !== "done" || (compare.length >= 2 && !compare.includes(e.id))}
                          checked={compare.includes(e.id)}
                          onChange={(ev) =>
                            setCompare((c) => (ev.target.checked ? [...c, e.id] : c.filter((id) => id !== e.id)))
                          }
                        />
                      </td>
                      <td className="px-3 py-2">v{e.modelVersion}</td>
                      <td className="px-3 py-2">{e.testSetName}</td>
                      <td className="px-3 py-2">
                        {e.status === "running" && (
                          <ProgressBar
                            fraction={e.total === 0 ? 0 : e.processed / e.total}
                            label={`${e.processed} of ${e.total} images`}
                          />
                        )}
                        {e.status === "failed" && <span className="text-destructive">Failed: {e.error}</span>}
                        {e.status === "done" && e.metrics !== undefined && (
                          <span className="tabular-nums">
                            {headline(e.metrics as Metrics)
                              .map((m) => `${m.name} ${m.value}`)
                              .join(" · ")}
                          </span>
                        )}
                      </td>
                      <td className="px-3 py-2 text-right">
                        <Button size="sm" variant="ghost" onClick={() => setSelected(e.id)}>
                          Show
                        </Button>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
            {compare.length === 2 && (
              <CompareEvaluations
                evaluations={compare.map((id) => list.find((e) => e.id === id)).filter((e) => e !== undefined)}
              />
            )}
            {shown !== undefined && <EvaluationDetail evaluationId={shown.id} />}
          </section>
        )}
      </CardContent>
    </Card>
  );
}

function EvaluationDetail({ evaluationId }: { evaluationId: string }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const evaluation = useQuery(
    trpc.evaluation.get.queryOptions(
      { workspaceId: workspace.id, evaluationId },
      { refetchInterval: (query) => (query.state.data?.status === "running" ? 500 : false) },
    ),
  );
  const data = evaluation.data;
  const queryClient = useQueryClient();
  const status = data?.status;
  // The list shows the same run's progress: refresh it once this one has finished.
  useEffect(() => {
    if (status === "done" || status === "failed") {
      void queryClient.invalidateQueries({ queryKey: trpc.evaluation.list.queryKey() });
    }
  }, [status, queryClient, trpc]);
  if (data === undefined) return <FormError message={evaluation.error?.message} />;
  return (
    <div className="grid gap-4 rounded-lg border p-4" data-testid="evaluation-detail">
      <div className="flex items-center gap-2">
        <h4 className="font-medium">
          v{data.modelVersion} on {data.testSetName}
        </h4>
        <Badge>{data.status}</Badge>
      </div>
      {data.status === "running" && (
        <ProgressBar
          fraction={data.total === 0 ? 0 : data.processed / data.total}
          label={`Evaluating: ${data.processed} of ${data.total} images`}
        />
      )}
      {data.status === "failed" && <p className="text-sm text-destructive">{data.error}</p>}
      {data.status === "done" && data.metrics !== undefined && (
        <>
          <MetricsView metrics={data.metrics as Metrics} />
          <FailedImages testSetId={data.testSetId} results={data.results} />
        </>
      )}
    </div>
  );
}

function TestSetUpload({ taskId, onUploaded }: { taskId: string; onUploaded: (id: string) => void }) {
  const workspace = useWorkspace();
  const [name, setName] = useState("");
  const [file, setFile] = useState<File | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [failure, setFailure] = useState<UploadError | undefined>();
  const [key, setKey] = useState(0);
  const submit = async () => {
    if (!file) {
      setFailure({ message: "Choose a .zip file." });
      return;
    }
    setFailure(undefined);
    const body = new FormData();
    body.append("name", name.trim() || file.name.replace(/\.zip$/i, ""));
    body.append("file", file);
    setProgress(0);
    const result = await uploadForm<{ testSet: { id: string } }>(
      `/api/workspaces/${workspace.id}/tasks/${taskId}/test-sets`,
      body,
      setProgress,
    );
    setProgress(undefined);
    if (!result.ok) {
      setFailure(result.error);
      return;
    }
    setName("");
    setFile(undefined);
    setKey((k) => k + 1);
    onUploaded(result.body.testSet.id);
  };
  return (
    <div className="grid gap-2 rounded-lg border border-dashed p-3">
      <div className="flex flex-col gap-2 sm:flex-row sm:items-end">
        <TextField
          id="test-set-name"
          label="New test set"
          placeholder="Name (default: the file name)"
          value={name}
          onChange={(e) => setName(e.target.value)}
        />
        <input
          key={key}
          type="file"
          accept=".zip,application/zip"
          aria-label="Test set zip"
          className="text-sm"
          onChange={(e) => setFile(e.target.files?.[0])}
        />
        <Button variant="outline" onClick={() => void submit()} pending={progress !== undefined}>
          Upload test set
        </Button>
      </div>
      {progress !== undefined && (
        <ProgressBar fraction={progress} label={progress >= 1 ? "Uploaded; reading the images…" : "Uploading"} />
      )}
      {failure !== undefined && (
        <div role="alert" className="text-sm text-destructive">
          <p>{failure.problems === undefined ? failure.message : "The test set was not saved:"}</p>
          {failure.problems !== undefined && (
            <ul className="list-disc pl-5">
              {failure.problems.map((p, i) => (
                <li key={i}>{typeof p === "string" ? p : p.message}</li>
              ))}
            </ul>
          )}
        </div>
      )}
    </div>
  );
}
