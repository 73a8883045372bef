"use client";

import { useMutation } from "@tanstack/react-query";
import type { FlowGraph, GraphProblem, HandleSpec } from "@vizflow/sdk";
import { useEffect, useRef, useState } from "react";
import { useTRPC } from "@/_lib/trpc";

export interface GraphCheckResult {
  problems: GraphProblem[];
  shapes: Record<string, { handles: HandleSpec[]; sequential: boolean }>;
  /** The graph this answer is for (edits made since are not in it). */
  graph: FlowGraph;
}

/** Runs the shared validator on the server shortly after each edit; keeps the last answer while a newer one runs. */
export function useGraphCheck(workspaceId: string, flowId: string, graph: FlowGraph, delayMs = 250) {
  const trpc = useTRPC();
  const check = useMutation(trpc.flowEditor.check.mutationOptions());
  const [result, setResult] = useState<GraphCheckResult | undefined>();
  const [error, setError] = useState<string | undefined>();
  const sequence = useRef(0);
  const { mutateAsync } = check;
  useEffect(() => {
    const ticket = ++sequence.current;
    const timer = setTimeout(() => {
      mutateAsync({ workspaceId, flowId, graph })
        .then((answer) => {
          // An answer for an older graph must not replace a newer one.
          if (ticket === sequence.current) {
            setResult({ ...answer, graph });
            setError(undefined);
          }
        })
        .catch((cause: unknown) => {
          if (ticket === sequence.current) setError(cause instanceof Error ? cause.message : String(cause));
        });
    }, delayMs);
    return () => clearTimeout(timer);
  }, [mutateAsync, workspaceId, flowId, graph, delayMs]);
  return { result, error, checking: check.isPending };
}

/** Autosaves the draft a moment after each edit; a reload or a crash loses at most that moment. */
export function useDraftAutosave(
  workspaceId: string,
  flowId: string,
  graph: FlowGraph,
  baseVersion: number | undefined,
  enabled: boolean,
  delayMs = 800,
) {
  const trpc = useTRPC();
  const save = useMutation(trpc.flow.saveDraft.mutationOptions());
  const lastSaved = useRef<string>(JSON.stringify(graph));
  const [savedAt, setSavedAt] = useState<Date | undefined>();
  const [pending, setPending] = useState(false);
  const { mutateAsync } = save;
  useEffect(() => {
    if (!enabled) return;
    const text = JSON.stringify(graph);
    if (text === lastSaved.current) return;
    setPending(true);
    const timer = setTimeout(() => {
      mutateAsync({ workspaceId, flowId, graph, ...(baseVersion === undefined ? {} : { baseVersion }) })
        .then(() => {
          lastSaved.current = text;
          setSavedAt(new Date());
          setPending(false);
        })
        .catch(() => setPending(false));
    }, delayMs);
    return () => clearTimeout(timer);
  }, [mutateAsync, workspaceId, flowId, graph, baseVersion, enabled, delayMs]);
  /** Marks a graph as already stored (a saved or restored version is the draft too). */
  const markSaved = (saved: FlowGraph) => {
    lastSaved.current = JSON.stringify(saved);
  };
  return { pending, savedAt, error: save.error?.message, markSaved };
}
