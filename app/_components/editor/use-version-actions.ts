"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import type { FlowGraph } from "@vizflow/sdk";
import { useTRPC } from "@/_lib/trpc";
import { trpcErrorCode } from "../trpc-errors";
import type { Notice } from "./editor-banners";
import type { DialogState } from "./editor-dialogs";

/**
 * Saving the draft as a version and restoring an old version as a new one (both with the stale-save
 * check), reloading a version into the draft, and deploying one.
 */
export function useVersionActions({
  workspaceId,
  flowId,
  graphRef,
  resetDraft,
  markSaved,
  latestVersion,
  baseVersion,
  setBaseVersion,
  setDialog,
  setNotice,
  backToDraft,
}: {
  workspaceId: string;
  flowId: string;
  graphRef: { readonly current: FlowGraph };
  /** Replaces the draft on the canvas (undo starts over). */
  resetDraft: (graph: FlowGraph) => void;
  /** Tells autosave that this graph is stored already. */
  markSaved: (graph: FlowGraph) => void;
  /** Loads the flow's latest version number afresh. */
  latestVersion: () => Promise<number | undefined>;
  baseVersion: number | undefined;
  setBaseVersion: (version: number) => void;
  setDialog: (dialog: DialogState) => void;
  setNotice: (notice: Notice) => void;
  backToDraft: () => void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const saveVersion = useMutation(trpc.flowVersion.save.mutationOptions());
  const restore = useMutation(trpc.flowVersion.restore.mutationOptions());
  const deploy = useMutation(trpc.flowVersion.deploy.mutationOptions());
  const refreshVersions = async () => {
    await Promise.all([
      queryClient.invalidateQueries({ queryKey: trpc.flowVersion.list.queryKey() }),
      queryClient.invalidateQueries({ queryKey: trpc.flow.get.queryKey() }),
    ]);
  };
  const loadVersion = async (version: number) =>
    (await queryClient.fetchQuery(trpc.flowVersion.get.queryOptions({ workspaceId, flowId, version })))
      .graph as FlowGraph;

  /** Saves the draft, unless the latest version is no longer `expected` (then offers reload or save on top). */
  const save = async (message: string, expected: number) => {
    const toSave = graphRef.current;
    try {
      const saved = await saveVersion.mutateAsync({
        workspaceId,
        flowId,
        graph: toSave,
        message,
        expectedLatestVersion: expected,
      });
      setBaseVersion(saved.version);
      markSaved(toSave);
      setDialog({ kind: "none" });
      setNotice({ text: `Saved version ${saved.version}.`, tone: "info" });
      await refreshVersions();
    } catch (error) {
      if (trpcErrorCode(error) === "CONFLICT") {
        const latest = (await latestVersion()) ?? expected;
        setDialog({ kind: "conflict", message, latest, text: error instanceof Error ? error.message : "" });
      }
    }
  };
  /** Replaces the draft with a saved version, which becomes the draft's base. */
  const reload = async (version: number) => {
    const graph = await loadVersion(version);
    resetDraft(graph);
    setBaseVersion(version);
    setDialog({ kind: "none" });
    backToDraft();
  };
  /**
   * Saves an old version as the newest, unless the latest version is no longer `expected` (the draft's
   * base by default): then, as a save does, offers to reload the latest or to restore on top of it.
   */
  const restoreVersion = async (version: number, expected = baseVersion) => {
    let saved: { version: number };
    try {
      saved = await restore.mutateAsync({
        workspaceId,
        flowId,
        version,
        ...(expected === undefined ? {} : { expectedLatestVersion: expected }),
      });
    } catch (error) {
      if (trpcErrorCode(error) !== "CONFLICT") throw error;
      const latest = (await latestVersion()) ?? expected ?? 0;
      setDialog({ kind: "restoreConflict", version, latest, text: error instanceof Error ? error.message : "" });
      return;
    }
    const old = await loadVersion(version);
    resetDraft(old);
    markSaved(old);
    setBaseVersion(saved.version);
    setDialog({ kind: "none" });
    backToDraft();
    setNotice({ text: `Restored version ${version} as version ${saved.version}.`, tone: "info" });
    await refreshVersions();
  };
  const deployVersion = (version: number) =>
    deploy.mutate(
      { workspaceId, flowId, version },
      {
        onSuccess: () => {
          setNotice({ text: `Version ${version} is deployed.`, tone: "info" });
          void refreshVersions();
        },
      },
    );
  return {
    save,
    saving: saveVersion.isPending,
    /** The save's error, except a conflict (the conflict dialog tells that one). */
    saveError:
      saveVersion.error && trpcErrorCode(saveVersion.error) !== "CONFLICT" ? saveVersion.error.message : undefined,
    reload,
    restore: restoreVersion,
    restoring: restore.isPending,
    /** The restore's error, except a conflict (the conflict dialog tells that one). */
    restoreError: restore.error && trpcErrorCode(restore.error) !== "CONFLICT" ? restore.error.message : undefined,
    deploy: deployVersion,
    deploying: deploy.isPending,
    deployError: deploy.error?.message,
  };
}
