"use client";

import { useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { PlusIcon } from "../icons";
import type { TaskType } from "./task-types";
import { formatBytes } from "./upload";
import { UploadModelDialog } from "./upload-model-dialog";

interface Version {
  id: string;
  version: number;
  fileSha256: string;
  fileSize: number;
  adapter?: unknown;
  notes: string;
  createdAt: string | Date;
  active: boolean;
}

function adapterSummary(adapter: unknown): string {
  if (typeof adapter !== "object" || adapter === null) return "";
  const a = adapter as { input?: string; width?: number; height?: number; resize?: string; decoder?: { id?: string } };
  return `${a.input ?? "?"} ${a.width ?? "?"}×${a.height ?? "?"} ${a.resize ?? ""} → ${a.decoder?.id ?? "?"}`;
}

/** The task's versions: upload, see what each is, activate one (naming the deployed flows it changes). */
export function ModelVersions({
  task,
  versions,
  error,
  canEdit,
}: {
  task: { id: string; type: TaskType; labels: readonly string[] };
  versions: readonly Version[];
  error: string | undefined;
  canEdit: boolean;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [uploading, setUploading] = useState(false);
  const [activating, setActivating] = useState<Version | undefined>();
  const affected = useQuery(
    trpc.modelVersion.affectedFlows.queryOptions(
      { workspaceId: workspace.id, taskId: task.id },
      { enabled: activating !== undefined },
    ),
  );
  const refresh = () =>
    Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.modelVersion.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.task.get.queryKey() }),
    ]);
  const activate = useMutation(
    trpc.modelVersion.activate.mutationOptions({
      onSuccess: async () => {
        setActivating(undefined);
        await refresh();
      },
    }),
  );

  return (
    <Card>
      <CardHeader className="flex-row items-start justify-between gap-4">
        <div className="grid gap-1.5">
          <CardTitle>Model versions</CardTitle>
          <CardDescription>
            ONNX files with their adapters, numbered per task. Every flow that runs this task uses the active version.
          </CardDescription>
        </div>
        {canEdit && (
          <Button onClick={() => setUploading(true)}>
            <PlusIcon width={16} height={16} /> Upload a version
          </Button>
        )}
      </CardHeader>
      <CardContent className="grid gap-3">
        <FormError message={error} />
        {versions.length === 0 ? (
          <p className="text-sm text-muted-foreground">No model version yet.</p>
        ) : (
          <div className="overflow-x-auto rounded-lg border">
            <table className="w-full text-sm">
              <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
                <tr>
                  <th className="px-3 py-2 font-medium">Version</th>
                  <th className="px-3 py-2 font-medium">Adapter</th>
                  <th className="px-3 py-2 font-medium">File</th>
                  <th className="px-3 py-2 font-medium">Uploaded</th>
                  <th className="px-3 py-2" />
                </tr>
              </thead>
              <tbody className="divide-y">
                {versions.map((v) => (
                  <tr key={v.id} data-version={v.version}>
                    <td className="px-3 py-2 font-medium">
                      v{v.version}{" "}
                      {v.active && <Badge className="ml-1 bg-primary text-primary-foreground">active</Badge>}
                      {v.notes !== "" && <div className="text-xs font-normal text-muted-foreground">{v.notes}</div>}
                    </td>
                    <td className="px-3 py-2 font-mono text-xs">{adapterSummary(v.adapter)}</td>
                    <td className="px-3 py-2 text-xs text-muted-foreground" title={`sha256 ${v.fileSha256}`}>
                      {formatBytes(v.fileSize)} · {v.fileSha256.slice(0, 10)}…
                    </td>
                    <td className="px-3 py-2 text-xs text-muted-foreground">
                      {new Date(v.createdAt).toLocaleString()}
                    </td>
                    <td className="px-3 py-2 text-right">
                      {canEdit && !v.active && (
                        <Button size="sm" variant="outline" onClick={() => setActivating(v)}>
                          Activate
                        </Button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </CardContent>
      {uploading && (
        <UploadModelDialog
          task={task}
          onClose={() => setUploading(false)}
          onUploaded={() => {
            setUploading(false);
            void refresh();
          }}
        />
      )}
      <Dialog
        open={activating !== undefined}
        onClose={() => setActivating(undefined)}
        title={`Activate v${activating?.version ?? ""}?`}
        description="Every flow that runs this task uses the active version from its next request on."
        footer={
          <>
            <Button variant="outline" onClick={() => setActivating(undefined)}>
              Cancel
            </Button>
            <Button
              pending={activate.isPending}
              onClick={() =>
                activating &&
                activate.mutate({ workspaceId: workspace.id, taskId: task.id, modelVersionId: activating.id })
              }
            >
              Activate v{activating?.version}
            </Button>
          </>
        }
      >
        <div className="text-sm" data-testid="affected-flows">
          {affected.isPending && <p className="text-muted-foreground">Looking for deployed flows…</p>}
          {affected.data !== undefined && affected.data.length === 0 && (
            <p className="text-muted-foreground">No deployed flow runs this task: nothing live changes.</p>
          )}
          {affected.data !== undefined && affected.data.length > 0 && (
            <>
              <p>These deployed flows will answer with the new version:</p>
              <ul className="mt-1 list-disc pl-5">
                {affected.data.map((f) => (
                  <li key={f.flowId}>
                    {f.flowName} (deployed v{f.deployedVersion})
                  </li>
                ))}
              </ul>
            </>
          )}
          <FormError message={activate.error?.message ?? affected.error?.message} />
        </div>
      </Dialog>
    </Card>
  );
}
