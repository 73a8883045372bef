"use client";

import { useQueryClient } from "@tanstack/react-query";
import { applyNodeChanges, type NodeChange } from "@xyflow/react";
import type { FlowGraph } from "@vizflow/sdk";
import { useCallback, useMemo, useState } from "react";
import { useTRPC } from "@/_lib/trpc";
import type { DiffMark } from "./editor-context";
import type { CanvasNode } from "./flow-node";
import { diffGraphs, type GraphDiff } from "./graph-diff";
import { toCanvasEdges, toCanvasNodes } from "./rf-convert";

export type VersionView =
  | { kind: "draft" }
  | { kind: "version"; version: number; graph: FlowGraph }
  | { kind: "diff"; before: number; after: number; graph: FlowGraph; marks: Map<string, DiffMark>; diff: GraphDiff };

/**
 * The canvas of two versions in one: the newer one, with the older one's removed nodes and edges added
 * back as ghosts, and a mark per node (added, removed, changed).
 */
export function diffCanvasGraph(
  before: FlowGraph,
  after: FlowGraph,
): { graph: FlowGraph; marks: Map<string, DiffMark>; diff: GraphDiff } {
  const diff = diffGraphs(before, after);
  const marks = new Map<string, DiffMark>();
  for (const n of diff.nodes.added) marks.set(n.id, "added");
  for (const c of diff.nodes.changed) marks.set(c.after.id, "changed");
  for (const n of diff.nodes.removed) marks.set(n.id, "removed");
  const graph: FlowGraph = {
    ...after,
    nodes: [...after.nodes, ...diff.nodes.removed],
    edges: [...after.edges, ...diff.edges.removed.map((e) => ({ ...e, id: `removed-${e.id}` }))],
  };
  return { graph, marks, diff };
}

/** Opening saved versions read-only and comparing two of them, beside the editable draft. */
export function useVersionView(workspaceId: string, flowId: string) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [view, setView] = useState<VersionView>({ kind: "draft" });
  const [canvasNodes, setCanvasNodes] = useState<CanvasNode[]>([]);

  const load = useCallback(
    async (version: number) =>
      (await queryClient.fetchQuery(trpc.flowVersion.get.queryOptions({ workspaceId, flowId, version })))
        .graph as FlowGraph,
    [queryClient, trpc, workspaceId, flowId],
  );
  const show = (next: VersionView) => {
    setView(next);
    if (next.kind !== "draft") setCanvasNodes(toCanvasNodes(next.graph, [], new Set()));
  };
  const open = async (version: number) => show({ kind: "version", version, graph: await load(version) });
  const compare = async (before: number, after: number) => {
    const [a, b] = await Promise.all([load(before), load(after)]);
    show({ kind: "diff", before, after, ...diffCanvasGraph(a, b) });
  };
  const backToDraft = useCallback(() => setView({ kind: "draft" }), []);
  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    // Read-only: only selection and measurements apply.
    setCanvasNodes((prev) =>
      applyNodeChanges(
        changes.filter((c) => c.type === "select" || c.type === "dimensions"),
        prev,
      ),
    );
  }, []);
  const canvasEdges = useMemo(() => (view.kind === "draft" ? [] : toCanvasEdges(view.graph)), [view]);
  const selectedNodeIds = useMemo(() => new Set(canvasNodes.filter((n) => n.selected).map((n) => n.id)), [canvasNodes]);
  return { view, open, compare, backToDraft, canvasNodes, canvasEdges, onNodesChange, selectedNodeIds };
}
