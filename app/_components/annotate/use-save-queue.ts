"use client";

import { useCallback, useEffect, useRef, useState } from "react";
import {
  EMPTY_QUEUE,
  enqueued,
  failed,
  nextOp,
  retried,
  started,
  succeeded,
  type SaveOp,
  type SaveQueue,
} from "./save-queue";

/**
 * Runs the page's writes one at a time through `send`, in order (see save-queue.ts). While writes wait,
 * leaving the page asks first, so an edit is not lost to a closed tab.
 */
export function useSaveQueue(send: (op: SaveOp) => Promise<void>) {
  const [queue, setQueue] = useState<SaveQueue>(EMPTY_QUEUE);
  const ref = useRef<SaveQueue>(EMPTY_QUEUE);
  const sendRef = useRef(send);
  useEffect(() => {
    sendRef.current = send;
  });

  const update = useCallback((next: SaveQueue) => {
    ref.current = next;
    setQueue(next);
  }, []);

  // One loop at a time sends the head write until the queue is empty or a write fails.
  const pump = useCallback(async () => {
    for (;;) {
      const op = nextOp(ref.current);
      if (op === undefined) return;
      update(started(ref.current));
      try {
        await sendRef.current(op);
        update(succeeded(ref.current));
      } catch (error) {
        update(failed(ref.current, error instanceof Error ? error.message : String(error)));
        return;
      }
    }
  }, [update]);

  const push = useCallback(
    (op: SaveOp) => {
      update(enqueued(ref.current, op));
      void pump();
    },
    [pump, update],
  );

  const retry = useCallback(() => {
    update(retried(ref.current));
    void pump();
  }, [pump, update]);

  const waiting = queue.ops.length > 0;
  useEffect(() => {
    if (!waiting) return;
    const onBeforeUnload = (event: BeforeUnloadEvent) => event.preventDefault();
    window.addEventListener("beforeunload", onBeforeUnload);
    return () => window.removeEventListener("beforeunload", onBeforeUnload);
  }, [waiting]);

  return { queue, push, retry };
}
