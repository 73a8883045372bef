"use client";

import { Handle, Position, type Node, type NodeProps } from "@xyflow/react";
import { INPUT_ACTION, type FlowNode } from "@vizflow/sdk";
import { cn } from "../ui/cn";
import { useCanvasInfo } from "./editor-context";
import { nodeTitle } from "./service-nodes";
import { NODE_WIDTH } from "./layout";
import type { NodeOutcome } from "./test-outcomes";

export type CanvasNode = Node<{ node: FlowNode }, "action">;

/** Room per output handle for its caption; a node with many branches grows up to MAX_NODE_WIDTH. */
const HANDLE_CAPTION_WIDTH = 84;
const MAX_NODE_WIDTH = 640;

const CATEGORY_COLOURS: Record<string, string> = {
  Input: "bg-slate-600",
  Models: "bg-violet-600",
  "Flow control": "bg-sky-600",
  Services: "bg-emerald-600",
};

/** One action on the canvas: title, what it points at, problems, test-run outcome, and its handles. */
export function FlowNodeView({ id, data, selected }: NodeProps<CanvasNode>) {
  const info = useCanvasInfo();
  const { node } = data;
  const manifest = info.manifests.get(node.action);
  const handles = info.handlesOf(id) ?? [];
  const problems = info.problemsByNode.get(id) ?? [];
  const depth = info.depths.get(id) ?? 0;
  const position = info.sequenceOf.get(id);
  const outcome = info.outcomes?.get(id);
  const mark = info.diff?.get(id);
  const isInput = node.action === INPUT_ACTION;
  const title = nodeTitle(node, info.manifests);
  const subtitle = info.subtitleOf(node);
  // Wide enough that each handle's caption reads whole (wrapped to two lines at most for long labels).
  const width = Math.min(MAX_NODE_WIDTH, Math.max(NODE_WIDTH, handles.length * HANDLE_CAPTION_WIDTH));
  const colour = CATEGORY_COLOURS[isInput ? "Input" : (manifest?.category ?? "")] ?? "bg-amber-600";
  // Stacked cards say "this runs once per object"; one more layer per nested Object Selector.
  const stack =
    depth === 0
      ? ""
      : depth === 1
        ? "shadow-[5px_5px_0_-1px_var(--color-background),5px_5px_0_0_var(--color-sky-400)]"
        : "shadow-[5px_5px_0_-1px_var(--color-background),5px_5px_0_0_var(--color-sky-400),10px_10px_0_-1px_var(--color-background),10px_10px_0_0_var(--color-sky-300)]";
  return (
    <div
      data-node-id={id}
      data-node-title={title}
      style={{ width }}
      className={cn(
        "relative rounded-lg border bg-card text-card-foreground",
        stack,
        selected ? "border-primary ring-2 ring-primary/40" : "border-border",
        problems.length > 0 && "border-destructive ring-1 ring-destructive/40",
        mark === "added" && "border-emerald-500 ring-2 ring-emerald-400/60",
        mark === "removed" && "opacity-60 border-dashed border-red-500 ring-2 ring-red-400/50",
        mark === "changed" && "border-amber-500 ring-2 ring-amber-400/60",
      )}
    >
      {!isInput && <Handle type="target" position={Position.Top} className="!h-2.5 !w-2.5 !bg-muted-foreground" />}
      <div className="flex items-center gap-2 px-3 pt-2">
        <span
          aria-hidden="true"
          className={cn(
            "flex h-6 w-6 shrink-0 items-center justify-center rounded text-xs font-bold text-white",
            colour,
          )}
        >
          {title.slice(0, 1).toUpperCase()}
        </span>
        <div className="min-w-0 flex-1">
          <div className="truncate text-sm font-medium">{title}</div>
          <div className="truncate text-xs text-muted-foreground">{subtitle ?? manifest?.title ?? ""}</div>
        </div>
        {position !== undefined && (
          <span
            title="Runs in this order among its siblings"
            className="rounded bg-secondary px-1.5 text-xs font-semibold"
          >
            #{position}
          </span>
        )}
      </div>
      <div className="flex flex-wrap items-center gap-1 px-3 pb-2 pt-1 text-[11px]">
        {depth > 0 && (
          <span className="rounded bg-sky-100 px-1.5 text-sky-800" title="Runs once on each selected object's crop">
            per object{depth > 1 ? ` ×${depth}` : ""}
          </span>
        )}
        {mark !== undefined && (
          <span
            className={cn(
              "rounded px-1.5 font-medium",
              mark === "added" && "bg-emerald-100 text-emerald-800",
              mark === "removed" && "bg-red-100 text-red-800",
              mark === "changed" && "bg-amber-100 text-amber-800",
            )}
          >
            {mark}
          </span>
        )}
        {problems.length > 0 && (
          <span
            className="rounded bg-destructive/10 px-1.5 text-destructive"
            title={problems.map((p) => p.fieldMessage ?? p.message).join("\n")}
          >
            ⚠{" "}
            {problems.length === 1
              ? (problems[0]?.fieldMessage ?? problems[0]?.message ?? "")
              : `${problems.length} problems`}
          </span>
        )}
        {info.outcomes !== undefined && !isInput && <OutcomeBadge outcome={outcome} />}
      </div>
      {handles.length > 0 && (
        <div
          className="grid border-t pb-1.5 pt-0.5 text-center text-[10px] leading-tight text-muted-foreground"
          style={{ gridTemplateColumns: `repeat(${handles.length}, minmax(0, 1fr))` }}
        >
          {handles.map((handle) => (
            <span key={handle.id} className="px-0.5 break-words" title={handle.label ?? handle.id} data-handle-caption>
              {handle.label ?? handle.id}
            </span>
          ))}
        </div>
      )}
      {handles.map((handle, i) => (
        <Handle
          key={handle.id}
          id={handle.id}
          type="source"
          position={Position.Bottom}
          isConnectable={!info.readOnly}
          title={`${handle.label ?? handle.id}: drag to connect the next action`}
          style={{ left: `${((i + 0.5) / handles.length) * 100}%` }}
          className={cn("!h-3 !w-3", handle.fanOut === "objects" ? "!rounded-sm !bg-sky-500" : "!bg-primary")}
        />
      ))}
    </div>
  );
}

function OutcomeBadge({ outcome }: { outcome: NodeOutcome | undefined }) {
  if (outcome === undefined) return <span className="rounded bg-muted px-1.5 text-muted-foreground">skipped</span>;
  const stale = outcome.stale === true;
  const note = stale ? (
    <span className="basis-full text-[10px] italic text-amber-800" data-stale-outcome>
      from an earlier test, settings changed since
    </span>
  ) : null;
  if (outcome.errors.length > 0) {
    return (
      <>
        <span
          className={cn(
            "min-w-0 max-w-full truncate rounded bg-destructive/10 px-1.5 text-destructive",
            stale && "opacity-50",
          )}
          title={outcome.errors.join("\n")}
        >
          ✕ {outcome.errors[0]}
        </span>
        {note}
      </>
    );
  }
  // One line however many labels came out; the panel lists them all, one per line.
  const labels = outcome.labels.map((l) => (l.count > 1 ? `${l.label} ×${l.count}` : l.label)).join("\n");
  return (
    <>
      <span
        data-outcome
        data-stale={stale || undefined}
        title={labels === "" ? undefined : labels}
        className={cn("min-w-0 max-w-full rounded bg-emerald-100 px-1.5 text-emerald-900", stale && "opacity-50")}
      >
        <span className="block truncate">✓ {outcome.summary ?? "done"}</span>
        {outcome.dropped > 0 && (
          <span className="block truncate text-[10px] font-medium text-amber-800" data-outcome-dropped>
            {outcome.dropped} more left out by a cap
          </span>
        )}
        {outcome.objectsSkipped > 0 && (
          <span className="block truncate text-[10px] font-medium text-amber-800" data-outcome-skipped>
            {outcome.objectsSkipped} more not run on (Maximum objects)
          </span>
        )}
        <span className="block truncate text-[10px] text-emerald-800/80">
          {outcome.runs > 1 ? `${outcome.runs} runs · ` : ""}
          {Math.round(outcome.timeMs)} ms · {outcome.credits} cr
        </span>
      </span>
      {note}
    </>
  );
}
