"use client";

import { useMutation } from "@tanstack/react-query";
import type { FlowGraph } from "@vizflow/sdk";
import { useMemo, useState, type RefObject } from "react";
import { useTRPC } from "@/_lib/trpc";
import type { Notice } from "./editor-banners";
import { markStale, outcomeFingerprints } from "./outcome-staleness";
import {
  objectTrace,
  outcomesOf,
  type DrawnBox,
  type NodeOutcome,
  type ObjectTrace,
  type TraceEntry,
} from "./test-outcomes";
import type { TestResult } from "./test-run-panel";

/**
 * Test runs of the draft on one image: the last run's result, its outcomes per node (marked outdated
 * once the graph changes under them), and the trace entry a click on a drawn box asks for.
 */
export function useTestRun({
  workspaceId,
  flowId,
  graph,
  graphRef,
  defaultsOf,
  setNotice,
  showProblemsTab,
  focusNode,
}: {
  workspaceId: string;
  flowId: string;
  graph: FlowGraph;
  graphRef: RefObject<FlowGraph>;
  defaultsOf: (action: string) => Record<string, unknown>;
  setNotice: (notice: Notice) => void;
  showProblemsTab: () => void;
  focusNode: (nodeId: string) => void;
}) {
  const trpc = useTRPC();
  const testRun = useMutation(trpc.flowEditor.testRun.mutationOptions());
  // The last test's outcomes, with what the graph was when it ran, so edits since mark them outdated.
  const [tested, setTested] = useState<
    { outcomes: Map<string, NodeOutcome>; prints: Map<string, string>; trace: readonly TraceEntry[] } | undefined
  >();
  // The trace entry asked for by a click on its object's box; `at` counts clicks, so each one scrolls to it.
  const [runFocus, setRunFocus] = useState<(ObjectTrace & { at: number }) | undefined>();
  const [result, setResult] = useState<TestResult | undefined>();

  const outcomes = useMemo(
    () => tested && markStale(tested.outcomes, tested.prints, outcomeFingerprints(graph, defaultsOf)),
    [tested, graph, defaultsOf],
  );
  /** A node's outcome, with the trace entry asked for when it is this node's. */
  const outcomeShown = (nodeId: string) => {
    const outcome = outcomes?.get(nodeId);
    return outcome && runFocus?.nodeId === nodeId ? { ...outcome, focus: runFocus } : outcome;
  };
  const showObjectTrace = (box: DrawnBox) => {
    const hit = tested && objectTrace(tested.trace, box.path);
    if (hit === undefined) return;
    focusNode(hit.nodeId);
    setRunFocus((previous) => ({ ...hit, at: (previous?.at ?? 0) + 1 }));
  };
  const run = async (image: string) => {
    setResult(undefined);
    const sent = graphRef.current;
    const response = await testRun.mutateAsync({ workspaceId, flowId, graph: sent, image }).catch(() => undefined);
    if (!response) return;
    if (!response.ok) {
      setTested(undefined);
      setNotice({
        text: `Fix the ${response.problems.length} problem(s) first: ${response.problems[0]?.message ?? ""}`,
        tone: "error",
      });
      showProblemsTab();
      return;
    }
    setTested({
      outcomes: outcomesOf(response.trace),
      prints: outcomeFingerprints(sent, defaultsOf),
      trace: response.trace,
    });
    setResult({
      record: response.record as Record<string, unknown> | undefined,
      statistics: response.statistics,
      balance: response.balance,
    });
  };
  return {
    run,
    running: testRun.isPending,
    error: testRun.error?.message,
    result,
    outcomes,
    outcomeShown,
    showObjectTrace,
  };
}
