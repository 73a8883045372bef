"use client";

import { useMutation } from "@tanstack/react-query";
import type { FlowGraph, FlowNode } from "@vizflow/sdk";
import { useEffect, useState } from "react";
import { useTRPC } from "@/_lib/trpc";

/** Field paths the actions before `node` declare they write (offered by the Condition's field picker). */
export function useUpstreamFields(
  workspaceId: string,
  flowId: string,
  graph: FlowGraph,
  node: FlowNode | undefined,
  /** Whether the node's form has a field picker at all (its UI hints name the `field-path` widget). */
  wantsFields: boolean,
): { path: string; type: string }[] {
  const trpc = useTRPC();
  const { mutateAsync } = useMutation(trpc.flowEditor.fields.mutationOptions());
  const [fields, setFields] = useState<{ path: string; type: string }[]>([]);
  const nodeId = node?.id;
  useEffect(() => {
    if (nodeId === undefined || !wantsFields) return;
    let current = true;
    const timer = setTimeout(() => {
      mutateAsync({ workspaceId, flowId, graph, nodeId })
        .then((answer) => current && setFields(answer))
        .catch(() => current && setFields([]));
    }, 300);
    return () => {
      current = false;
      clearTimeout(timer);
    };
  }, [mutateAsync, workspaceId, flowId, graph, nodeId, wantsFields]);
  return wantsFields ? fields : [];
}
