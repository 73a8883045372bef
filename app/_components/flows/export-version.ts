"use client";

import { useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/_lib/trpc";

/** A file name from the flow's name and version: `pet-sorter-v3.vizflow.json`. */
export function exportFileName(flowName: string, version: number): string {
  const slug = flowName
    .normalize("NFKD")
    .replace(/[^\w\s-]/g, "")
    .trim()
    .toLowerCase()
    .replace(/[\s_]+/g, "-")
    .replace(/-+/g, "-")
    .slice(0, 60);
  return `${slug === "" ? "flow" : slug}-v${version}.vizflow.json`;
}

/** Saves `text` as a file through the browser's download. */
export function downloadText(fileName: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: "application/json" }));
  const link = document.createElement("a");
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  URL.revokeObjectURL(url);
}

/** Exports a saved version of a flow and downloads the file; `error` says why it failed. */
export function useExportVersion(workspaceId: string, flowId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [pending, setPending] = useState<number | undefined>();
  const [error, setError] = useState<string | undefined>();
  const exportVersion = async (version: number) => {
    setPending(version);
    setError(undefined);
    try {
      const file = await queryClient.fetchQuery({
        ...trpc.flowTransfer.export.queryOptions({ workspaceId, flowId, version }),
        staleTime: 0,
      });
      downloadText(exportFileName(file.flow.name, version), `${JSON.stringify(file, null, 2)}\n`);
    } catch (e) {
      setError(e instanceof Error ? e.message : "The export failed; try again.");
    } finally {
      setPending(undefined);
    }
  };
  return { exportVersion, pending, error };
}
