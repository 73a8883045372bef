"use client";

import { useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/_lib/trpc";
import { Button } from "../ui/button";
import { FormError } from "../ui/field";
import { formatDateTime } from "../flows/format";
import { useExportVersion } from "../flows/export-version";
import type { GraphDiff } from "./graph-diff";

export interface VersionsPanelProps {
  workspaceId: string;
  flowId: string;
  deployedVersion: number | undefined;
  /** The version open read-only, if any. */
  openVersion: number | undefined;
  readOnly: boolean;
  restoring: boolean;
  onOpen: (version: number) => void;
  onCompare: (before: number, after: number) => void;
  onRestore: (version: number) => void;
}

/** The flow's saved versions: author, time, message; open one read-only, compare two, restore one as new. */
export function VersionsPanel(props: VersionsPanelProps) {
  const trpc = useTRPC();
  const versions = useQuery(
    trpc.flowVersion.list.queryOptions({ workspaceId: props.workspaceId, flowId: props.flowId }),
  );
  const [picked, setPicked] = useState<number[]>([]);
  const toggle = (v: number) =>
    setPicked((prev) => (prev.includes(v) ? prev.filter((p) => p !== v) : [...prev, v].slice(-2)));
  const pair = [...picked].sort((a, b) => a - b);
  const exporter = useExportVersion(props.workspaceId, props.flowId);
  return (
    <div className="grid gap-3">
      <FormError message={versions.error?.message ?? exporter.error} />
      {versions.data?.length === 0 && (
        <p className="text-sm text-muted-foreground">
          No version yet. “Save version” makes version 1 of what is on the canvas.
        </p>
      )}
      {versions.data !== undefined && versions.data.length > 1 && (
        <div className="flex items-center gap-2 text-xs">
          <span className="text-muted-foreground">Tick two versions to compare them.</span>
          <Button
            size="sm"
            variant="outline"
            disabled={pair.length !== 2}
            onClick={() => pair.length === 2 && props.onCompare(pair[0] as number, pair[1] as number)}
          >
            Compare {pair.length === 2 ? `v${pair[0]} → v${pair[1]}` : ""}
          </Button>
        </div>
      )}
      <ol className="grid gap-2" aria-label="Versions">
        {versions.data?.map((v) => (
          <li
            key={v.version}
            data-version={v.version}
            className={`rounded-md border p-2 text-xs ${props.openVersion === v.version ? "border-primary bg-primary/5" : ""}`}
          >
            <div className="flex items-center gap-2">
              <input
                type="checkbox"
                aria-label={`Compare version ${v.version}`}
                checked={picked.includes(v.version)}
                onChange={() => toggle(v.version)}
              />
              <span className="text-sm font-semibold">v{v.version}</span>
              {props.deployedVersion === v.version && (
                <span className="rounded bg-emerald-100 px-1.5 text-emerald-800">deployed</span>
              )}
              <span className="ml-auto text-muted-foreground">{formatDateTime(v.createdAt)}</span>
            </div>
            <div className="mt-1">
              {v.message === "" ? <em className="text-muted-foreground">No message</em> : v.message}
            </div>
            <div className="text-muted-foreground">by {v.authorName}</div>
            <div className="mt-1.5 flex flex-wrap gap-1.5">
              <Button size="sm" variant="outline" onClick={() => props.onOpen(v.version)}>
                Open
              </Button>
              <Button
                size="sm"
                variant="outline"
                disabled={props.readOnly}
                pending={props.restoring}
                onClick={() => props.onRestore(v.version)}
              >
                Restore as new version
              </Button>
              <Button
                size="sm"
                variant="outline"
                title="Download this version as a file another workspace can import"
                pending={exporter.pending === v.version}
                onClick={() => void exporter.exportVersion(v.version)}
              >
                Export
              </Button>
            </div>
          </li>
        ))}
      </ol>
    </div>
  );
}

/** The changes of a diff as a list: what a reviewer reads next to the coloured canvas. */
export function DiffSummary({ diff, titleOf }: { diff: GraphDiff; titleOf: (id: string) => string }) {
  if (diff.same)
    return <p className="text-sm text-muted-foreground">These versions do the same thing (only positions differ).</p>;
  return (
    <div className="grid gap-2 text-xs" aria-label="Differences">
      {diff.nodes.added.map((n) => (
        <div key={`a-${n.id}`} className="rounded border-l-4 border-emerald-500 bg-emerald-50 px-2 py-1">
          Added node <b>{titleOf(n.id)}</b>
        </div>
      ))}
      {diff.nodes.removed.map((n) => (
        <div key={`r-${n.id}`} className="rounded border-l-4 border-red-500 bg-red-50 px-2 py-1">
          Removed node <b>{titleOf(n.id)}</b>
        </div>
      ))}
      {diff.nodes.changed.map((c) => (
        <div
          key={`c-${c.after.id}`}
          className="rounded border-l-4 border-amber-500 bg-amber-50 px-2 py-1"
          data-diff-node={c.after.id}
        >
          Changed <b>{titleOf(c.after.id)}</b>
          <ul className="mt-0.5">
            {c.changes.map((change) => (
              <li key={change.path}>
                <code>{change.path.replace(/^\/config\//, "")}</code>: {show(change.before)} → {show(change.after)}
              </li>
            ))}
          </ul>
        </div>
      ))}
      {diff.edges.added.map((e) => (
        <div key={`ea-${e.id}`} className="rounded border-l-4 border-emerald-500 bg-emerald-50 px-2 py-1">
          Connected {titleOf(e.source)} → {titleOf(e.target)} ({e.sourceHandle})
        </div>
      ))}
      {diff.edges.removed.map((e) => (
        <div key={`er-${e.id}`} className="rounded border-l-4 border-red-500 bg-red-50 px-2 py-1">
          Disconnected {titleOf(e.source)} → {titleOf(e.target)} ({e.sourceHandle})
        </div>
      ))}
      {diff.edges.changed.map((c) => (
        <div key={`ec-${c.after.id}`} className="rounded border-l-4 border-amber-500 bg-amber-50 px-2 py-1">
          Reordered {titleOf(c.after.target)} under {titleOf(c.after.source)}
        </div>
      ))}
    </div>
  );
}

function show(value: unknown): string {
  return value === undefined ? "(unset)" : JSON.stringify(value);
}
