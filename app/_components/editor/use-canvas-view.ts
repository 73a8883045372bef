"use client";

import type { ActionManifest, FlowGraph, FlowNode, GraphProblem } from "@vizflow/sdk";
import { useCallback, useMemo } from "react";
import type { CanvasInfo } from "./editor-context";
import { currentProblems } from "./current-problems";
import { objectDepths, sequencePositions } from "./graph-model";
import { handlesSettled } from "./node-handles";
import { nodeTitle } from "./service-nodes";
import type { NodeOutcome } from "./test-outcomes";
import type { useGraphCheck } from "./use-graph-check";
import type { VersionView } from "./use-version-view";

type CheckResult = ReturnType<typeof useGraphCheck>["result"];

/**
 * What the canvas shows (the draft, or the version opened or compared) and what is known of its
 * nodes: their handles and titles, and the draft's problems by node.
 */
export function useGraphView({
  graph,
  view,
  manifests,
  checked,
}: {
  graph: FlowGraph;
  view: VersionView;
  manifests: ReadonlyMap<string, ActionManifest>;
  /** The server's last check of the draft. */
  checked: CheckResult;
}) {
  const shapes = checked?.shapes;
  const shownGraph = view.kind === "draft" ? graph : view.graph;
  const handlesOf = useCallback(
    (nodeId: string) => {
      const shape = shapes?.[nodeId];
      if (shape) return shape.handles;
      const node = graph.nodes.find((n) => n.id === nodeId) ?? shownGraph.nodes.find((n) => n.id === nodeId);
      return node ? manifests.get(node.action)?.handles : undefined;
    },
    [shapes, manifests, graph, shownGraph],
  );
  const handlesKnown = useCallback(
    (nodeId: string) => {
      const node = graph.nodes.find((n) => n.id === nodeId);
      return node !== undefined && handlesSettled(node, manifests.get(node.action), checked?.graph);
    },
    [graph, manifests, checked],
  );
  const titleOf = useCallback(
    (nodeId: string) => {
      const node = shownGraph.nodes.find((n) => n.id === nodeId) ?? graph.nodes.find((n) => n.id === nodeId);
      return node ? nodeTitle(node, manifests) : nodeId;
    },
    [shownGraph, graph, manifests],
  );
  const problems: GraphProblem[] = useMemo(
    () => currentProblems(checked?.problems ?? [], checked?.graph, graph),
    [checked, graph],
  );
  const problemsByNode = useMemo(() => {
    const map = new Map<string, GraphProblem[]>();
    for (const p of problems) if (p.nodeId !== undefined) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p]);
    return map;
  }, [problems]);
  const isSequential = useCallback((nodeId: string) => shapes?.[nodeId]?.sequential ?? false, [shapes]);
  return { shapes, shownGraph, handlesOf, handlesKnown, titleOf, problems, problemsByNode, isSequential };
}

/** The catalog's tasks and flows, as far as node subtitles need them. */
interface SubtitleCatalog {
  tasks: { id: string; name: string; type: string }[];
  flows: { id: string; name: string }[];
}

/** The one object every canvas node reads (see `CanvasInfo`), rebuilt only when a part of it changes. */
export function useCanvasInfoValue({
  graphView,
  view,
  manifests,
  outcomes,
  readOnly,
  catalog,
  checkEdge,
}: {
  graphView: ReturnType<typeof useGraphView>;
  view: VersionView;
  manifests: ReadonlyMap<string, ActionManifest>;
  outcomes: ReadonlyMap<string, NodeOutcome> | undefined;
  readOnly: boolean;
  catalog: SubtitleCatalog | undefined;
  checkEdge: CanvasInfo["checkEdge"];
}): CanvasInfo {
  const { handlesOf, problemsByNode, shownGraph, shapes } = graphView;
  return useMemo(() => {
    const sequential = (id: string) => shapes?.[id]?.sequential ?? false;
    const positions = sequencePositions(shownGraph, sequential);
    const sequenceOf = new Map<string, number>();
    for (const edge of shownGraph.edges) {
      const position = positions.get(edge.id);
      if (position !== undefined) sequenceOf.set(edge.target, position);
    }
    const tasks = new Map((catalog?.tasks ?? []).map((t) => [t.id, t]));
    const flows = new Map((catalog?.flows ?? []).map((f) => [f.id, f]));
    return {
      manifests,
      handlesOf,
      problemsByNode: view.kind === "draft" ? problemsByNode : new Map(),
      depths: objectDepths(shownGraph, handlesOf),
      sequenceOf,
      outcomes: view.kind === "draft" ? outcomes : undefined,
      diff: view.kind === "diff" ? view.marks : undefined,
      readOnly,
      subtitleOf: (node: FlowNode) => {
        const task = typeof node.config.task === "string" ? tasks.get(node.config.task) : undefined;
        if (task) return `${task.name} · ${task.type}`;
        if (typeof node.config.flow === "string") return `Flow ${flows.get(node.config.flow)?.name ?? "?"}`;
        if (typeof node.config.mode === "string") return `In ${node.config.mode}`;
        return undefined;
      },
      checkEdge,
    };
  }, [manifests, handlesOf, problemsByNode, shownGraph, shapes, outcomes, view, readOnly, catalog, checkEdge]);
}
