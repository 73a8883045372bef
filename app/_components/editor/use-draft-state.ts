"use client";

import { skipToken, useQuery } from "@tanstack/react-query";
import type { FlowGraph } from "@vizflow/sdk";
import { useMemo } from "react";
import { useTRPC } from "@/_lib/trpc";
import { draftVersionStatus } from "./draft-version-status";

/** `draftVersionStatus` for the open draft, loading the version it started from. */
export function useDraftState(workspaceId: string, flowId: string, version: number | undefined, draft: FlowGraph) {
  const trpc = useTRPC();
  const saved = useQuery({
    ...trpc.flowVersion.get.queryOptions(version === undefined ? skipToken : { workspaceId, flowId, version }),
    staleTime: Infinity,
  });
  const graph = saved.data?.graph as FlowGraph | undefined;
  return useMemo(() => draftVersionStatus(draft, version, graph), [draft, version, graph]);
}
