"use client";

import { useCallback, useMemo, useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPCClient } from "@/_lib/trpc";
import type { TrainingAnnotation } from "../annotator/types";
import { annotatorImage, inRequestedOrder, MAX_ITEMS, type AnnotateSource, type ListedItem } from "./annotate-source";
import { pendingEdits, type SaveOp } from "./save-queue";
import { useSaveQueue } from "./use-save-queue";

type Client = ReturnType<typeof useTRPCClient>;

async function loadItems(client: Client, workspaceId: string, taskId: string, source: AnnotateSource) {
  if (source.kind === "items") {
    const items = await client.trainingSet.get.query({ workspaceId, taskId, imageIds: source.imageIds });
    return inRequestedOrder(items, source.imageIds);
  }
  if (source.kind === "queue") return client.trainingSet.myQueue.query({ workspaceId, taskId });
  const out = [];
  let cursor: number | null = null;
  do {
    const page = await client.trainingSet.list.query({ workspaceId, taskId, ...source.filter, cursor, limit: 500 });
    out.push(...page.items);
    cursor = page.nextCursor;
  } while (cursor !== null && out.length < MAX_ITEMS);
  return out;
}

/**
 * The images the page works through (fixed once loaded, so confirming in "my queue" or an "unlabelled"
 * filter does not pull the image away), their latest server state, and the writes on their way.
 */
export function useAnnotateItems(workspaceId: string, taskId: string, source: AnnotateSource) {
  const client = useTRPCClient();
  const loaded = useQuery({
    queryKey: ["annotate", workspaceId, taskId, source],
    queryFn: () => loadItems(client, workspaceId, taskId, source),
    staleTime: Infinity,
    refetchOnWindowFocus: false,
  });
  // Items as the server last answered after a write or a pre-annotation, over the first load.
  const [fresh, setFresh] = useState<ReadonlyMap<string, ListedItem>>(new Map());
  const merge = useCallback((items: readonly ListedItem[]) => {
    setFresh((before) => {
      const next = new Map(before);
      for (const item of items) next.set(item.imageId, item);
      return next;
    });
  }, []);

  const refresh = useCallback(
    async (imageIds: readonly string[]) => {
      for (let at = 0; at < imageIds.length; at += MAX_ITEMS) {
        const part = imageIds.slice(at, at + MAX_ITEMS);
        merge(await client.trainingSet.get.query({ workspaceId, taskId, imageIds: part }));
      }
    },
    [client, merge, taskId, workspaceId],
  );

  const send = useCallback(
    async (op: SaveOp) => {
      if (op.kind === "save") {
        const saved = await client.trainingSet.setAnnotation.mutate({
          workspaceId,
          taskId,
          imageId: op.imageId,
          annotation: op.annotation,
        });
        if (saved !== undefined) merge([saved]);
        return;
      }
      if (op.kind === "confirm")
        await client.trainingSet.confirm.mutate({ workspaceId, taskId, imageIds: [op.imageId] });
      else await client.trainingSet.rejectProposals.mutate({ workspaceId, taskId, imageIds: [op.imageId] });
      await refresh([op.imageId]);
    },
    [client, merge, refresh, taskId, workspaceId],
  );
  const { queue, push, retry } = useSaveQueue(send);

  const items = useMemo(() => (loaded.data ?? []).map((item) => fresh.get(item.imageId) ?? item), [fresh, loaded.data]);
  const edits = useMemo(() => pendingEdits(queue), [queue]);
  const images = useMemo(() => items.map((item) => annotatorImage(item, edits.get(item.imageId))), [edits, items]);

  /** What the image shows now: its waiting edit, else the server's annotation. */
  const annotationNow = useCallback(
    (imageId: string): TrainingAnnotation | null | undefined => images.find((i) => i.id === imageId)?.annotation,
    [images],
  );

  return { loaded, items, images, queue, push, retry, refresh, annotationNow };
}
