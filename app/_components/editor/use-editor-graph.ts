"use client";

import { applyEdgeChanges, applyNodeChanges, type EdgeChange, type NodeChange } from "@xyflow/react";
import type { FlowGraph } from "@vizflow/sdk";
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from "react";
import type { CanvasNode } from "./flow-node";
import { History } from "./history";
import { fromCanvas, toCanvasEdges, toCanvasNodes, type CanvasEdge } from "./rf-convert";

/** Typing into one field within this long is one undo step. */
const AMEND_WINDOW_MS = 1500;

/**
 * The draft on the canvas with undo / redo. React Flow's nodes and edges hold it (so a drag only
 * touches the dragged node); every finished edit is recorded as a FlowGraph snapshot.
 */
export function useEditorGraph(initial: FlowGraph) {
  const [nodes, setNodes] = useState<CanvasNode[]>(() => toCanvasNodes(initial));
  const [edges, setEdges] = useState<CanvasEdge[]>(() => toCanvasEdges(initial));
  const history = useRef(new History<FlowGraph>(initial));
  const lastAmend = useRef<{ key: string; at: number } | undefined>(undefined);
  const [flags, setFlags] = useState({ canUndo: false, canRedo: false });
  const graph = useMemo(() => fromCanvas(nodes, edges), [nodes, edges]);
  const graphRef = useRef(graph);
  useLayoutEffect(() => {
    graphRef.current = graph;
  }, [graph]);
  const refreshFlags = useCallback(() => {
    setFlags({ canUndo: history.current.canUndo, canRedo: history.current.canRedo });
  }, []);

  const show = useCallback(
    (next: FlowGraph, select?: ReadonlySet<string>) => {
      setNodes((prev) => toCanvasNodes(next, prev, select));
      setEdges((prev) => toCanvasEdges(next, select ? [] : prev));
      refreshFlags();
    },
    [refreshFlags],
  );

  /** Applies an edit and records it; edits with the same `amendKey` in quick succession are one step. */
  const commit = useCallback(
    (next: FlowGraph, options: { amendKey?: string; select?: ReadonlySet<string> } = {}) => {
      const now = Date.now();
      const amend =
        options.amendKey !== undefined &&
        lastAmend.current?.key === options.amendKey &&
        now - lastAmend.current.at < AMEND_WINDOW_MS;
      if (amend) history.current.amend(next);
      else history.current.push(next);
      lastAmend.current = options.amendKey === undefined ? undefined : { key: options.amendKey, at: now };
      show(next, options.select);
    },
    [show],
  );

  const onNodesChange = useCallback((changes: NodeChange<CanvasNode>[]) => {
    // Removal goes through commit (delete key handling), never silently through React Flow.
    setNodes((prev) =>
      applyNodeChanges(
        changes.filter((c) => c.type !== "remove" && c.type !== "add"),
        prev,
      ),
    );
  }, []);

  const onEdgesChange = useCallback((changes: EdgeChange<CanvasEdge>[]) => {
    setEdges((prev) =>
      applyEdgeChanges(
        changes.filter((c) => c.type !== "remove" && c.type !== "add"),
        prev,
      ),
    );
  }, []);

  /** A drag ended: its final positions are one step. */
  const settle = useCallback(() => {
    lastAmend.current = undefined;
    history.current.push(graphRef.current, samePositions);
    refreshFlags();
  }, [refreshFlags]);

  const undo = useCallback(() => {
    const previous = history.current.undo();
    lastAmend.current = undefined;
    if (previous) show(previous, new Set());
  }, [show]);

  const redo = useCallback(() => {
    const next = history.current.redo();
    lastAmend.current = undefined;
    if (next) show(next, new Set());
  }, [show]);

  /** Replaces the draft (a reloaded or restored version); undo starts over. */
  const reset = useCallback(
    (next: FlowGraph) => {
      history.current.reset(next);
      lastAmend.current = undefined;
      setNodes(toCanvasNodes(next, [], new Set()));
      setEdges(toCanvasEdges(next));
      refreshFlags();
    },
    [refreshFlags],
  );

  const selectedNodeIds = useMemo(() => new Set(nodes.filter((n) => n.selected).map((n) => n.id)), [nodes]);
  const selectedEdgeIds = useMemo(() => new Set(edges.filter((e) => e.selected).map((e) => e.id)), [edges]);

  return {
    graph,
    graphRef,
    nodes,
    edges,
    onNodesChange,
    onEdgesChange,
    commit,
    settle,
    undo,
    redo,
    reset,
    canUndo: flags.canUndo,
    canRedo: flags.canRedo,
    selectedNodeIds,
    selectedEdgeIds,
  };
}

function samePositions(a: FlowGraph, b: FlowGraph): boolean {
  if (a.nodes.length !== b.nodes.length || (a.edges !== b.edges && a.edges.length !== b.edges.length)) return false;
  return a.nodes.every((n, i) => {
    const m = b.nodes[i];
    return (
      m !== undefined &&
      m.id === n.id &&
      m.position.x === n.position.x &&
      m.position.y === n.position.y &&
      m.config === n.config
    );
  });
}
