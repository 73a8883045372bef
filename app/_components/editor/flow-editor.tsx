"use client";

import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import Link from "next/link";
import type { ActionManifest, FlowGraph } from "@vizflow/sdk";
import { useCallback, useMemo, useState } from "react";
import { useTRPC } from "@/_lib/trpc";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { PageLoading } from "../loading";
import { FormError } from "../ui/field";
import { Canvas } from "./canvas";
import { NoticeBar, useNotice, ViewingBar } from "./editor-banners";
import { useEditCommands } from "./use-edit-commands";
import { useTestRun } from "./use-test-run";
import { useVersionActions } from "./use-version-actions";
import { useEditorShortcuts } from "./use-editor-shortcuts";
import { EditorSidePanel, type EditorTab } from "./editor-side-panel";
import { useCanvasInfoValue, useGraphView } from "./use-canvas-view";
import { EditorDialogs, type DialogState } from "./editor-dialogs";
import { draftStatusText, EditorHeader } from "./editor-header";
import { Palette } from "./palette";
import { serviceCaller } from "./service-nodes";
import { schemaDefaults } from "./outcome-staleness";
import { useDraftState } from "./use-draft-state";
import { useDraftAutosave, useGraphCheck } from "./use-graph-check";
import { useEditorGraph } from "./use-editor-graph";
import { useVersionView } from "./use-version-view";

/** The flow editor: loads the flow's draft and the palette, then opens the canvas. */
export function FlowEditor({ flowId }: { flowId: string }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const draft = useQuery({
    ...trpc.flow.draft.queryOptions({ workspaceId: workspace.id, flowId }),
    staleTime: Infinity,
  });
  const palette = useQuery(trpc.flowEditor.palette.queryOptions({ workspaceId: workspace.id }));
  const error = draft.error ?? palette.error;
  if (error) {
    return (
      <div className="fixed inset-0 z-50 grid place-items-center bg-background p-6">
        <div className="grid max-w-md gap-3 text-center">
          <FormError message={error.message} />
          <Link href={`/w/${workspace.id}/flows`} className="text-sm text-primary underline">
            Back to flows
          </Link>
        </div>
      </div>
    );
  }
  if (!draft.data || !palette.data) return <PageLoading label="Opening the flow…" />;
  return (
    <ReactFlowProvider>
      <EditorLoaded
        flowId={flowId}
        initial={draft.data.graph}
        initialBase={draft.data.baseVersion ?? undefined}
        initialNotice={draft.data.notice}
        actions={palette.data.flatMap((p) => p.actions)}
      />
    </ReactFlowProvider>
  );
}

function EditorLoaded({
  flowId,
  initial,
  initialBase,
  initialNotice,
  actions,
}: {
  flowId: string;
  initial: FlowGraph;
  initialBase: number | undefined;
  /** Why the editor did not open the autosaved draft (it could not be read). */
  initialNotice?: string | undefined;
  actions: ActionManifest[];
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const canEdit = hasRole(workspace.role, "editor");
  const editor = useEditorGraph(initial);
  const { graph, graphRef } = editor;
  const [baseVersion, setBaseVersion] = useState(initialBase);
  const [tab, setTab] = useState<EditorTab>("inspect");
  const [dialog, setDialog] = useState<DialogState>({ kind: "none" });
  const [notice, setNotice] = useNotice(
    initialNotice === undefined ? undefined : { text: initialNotice, tone: "error" },
  );

  const info = useQuery(trpc.flow.get.queryOptions({ workspaceId: workspace.id, flowId }));
  const catalog = useQuery(trpc.flowEditor.catalog.queryOptions({ workspaceId: workspace.id }));
  const check = useGraphCheck(workspace.id, flowId, graph);
  const versionView = useVersionView(workspace.id, flowId);
  const readOnly = !canEdit || versionView.view.kind !== "draft";
  const autosave = useDraftAutosave(workspace.id, flowId, graph, baseVersion, canEdit);

  const manifests = useMemo(() => new Map(actions.map((a) => [a.ref, a])), [actions]);
  const defaultsOf = useCallback((action: string) => schemaDefaults(manifests.get(action)?.config), [manifests]);
  const graphView = useGraphView({ graph, view: versionView.view, manifests, checked: check.result });
  const { shownGraph, handlesOf, handlesKnown, titleOf, problems, problemsByNode } = graphView;

  const showNodeTab = useCallback(() => setTab("inspect"), []);
  const commands = useEditCommands({ editor, manifests, handlesOf, handlesKnown, titleOf, setNotice, showNodeTab });
  const { focusNode } = commands;
  const showProblemsTab = useCallback(() => setTab("problems"), []);
  const test = useTestRun({
    workspaceId: workspace.id,
    flowId,
    graph,
    graphRef,
    defaultsOf,
    setNotice,
    showProblemsTab,
    focusNode,
  });

  const canvasInfo = useCanvasInfoValue({
    graphView,
    view: versionView.view,
    manifests,
    outcomes: test.outcomes,
    readOnly,
    catalog: catalog.data,
    checkEdge: commands.checkEdge,
  });

  const versions = useVersionActions({
    workspaceId: workspace.id,
    flowId,
    graphRef,
    resetDraft: editor.reset,
    markSaved: autosave.markSaved,
    latestVersion: async () => (await info.refetch()).data?.latestVersion,
    baseVersion,
    setBaseVersion,
    setDialog,
    setNotice,
    backToDraft: versionView.backToDraft,
  });

  useEditorShortcuts(readOnly, {
    commands,
    undo: editor.undo,
    redo: editor.redo,
    openDialog: (kind) => setDialog({ kind }),
  });

  const latestVersion = info.data?.latestVersion;
  const versionStatus = useDraftState(workspace.id, flowId, baseVersion, graph);

  const viewNodes = useMemo(
    () => (versionView.view.kind === "draft" ? undefined : versionView.canvasNodes),
    [versionView],
  );
  return (
    <div className="fixed inset-0 z-50 flex flex-col bg-background" data-flow-editor={flowId}>
      <EditorHeader
        workspaceId={workspace.id}
        name={info.data?.name ?? ""}
        versionStatus={versionStatus}
        baseVersion={baseVersion}
        latestVersion={latestVersion}
        deployedVersion={info.data?.deployedVersion}
        draftStatus={draftStatusText(canEdit, autosave)}
        readOnly={readOnly}
        canEdit={canEdit}
        canUndo={editor.canUndo}
        canRedo={editor.canRedo}
        onUndo={editor.undo}
        onRedo={editor.redo}
        onAutoLayout={commands.autoLayout}
        onOpen={(kind) => setDialog({ kind })}
      />
      <ViewingBar
        view={versionView.view}
        canRestore={canEdit}
        restoring={versions.restoring}
        onBack={versionView.backToDraft}
        onRestore={(version) => void versions.restore(version)}
      />
      <NoticeBar notice={notice} onDismiss={() => setNotice(undefined)} />
      <div className="flex min-h-0 flex-1">
        {!readOnly && (
          <aside className="w-56 shrink-0 border-r bg-muted/30">
            <Palette
              actions={actions}
              servicesAsActions={serviceCaller(manifests) !== undefined}
              onPick={(ref) => commands.addAction(ref)}
            />
          </aside>
        )}
        <div className="relative min-w-0 flex-1" data-canvas>
          <Canvas
            info={canvasInfo}
            nodes={viewNodes ?? editor.nodes}
            edges={versionView.view.kind === "draft" ? editor.edges : versionView.canvasEdges}
            onNodesChange={versionView.view.kind === "draft" ? editor.onNodesChange : versionView.onNodesChange}
            onEdgesChange={versionView.view.kind === "draft" ? editor.onEdgesChange : undefined}
            onConnect={readOnly ? undefined : commands.onConnect}
            onRefused={(reason) => setNotice({ text: reason, tone: "error" })}
            onNodeClick={() => setTab("inspect")}
            onDragStop={readOnly ? undefined : editor.settle}
            onDropAction={readOnly ? undefined : commands.dropAction}
          />
        </div>
        <EditorSidePanel
          workspaceId={workspace.id}
          flowId={flowId}
          tab={tab}
          onTab={setTab}
          view={versionView.view}
          shownGraph={shownGraph}
          draft={() => graphRef.current}
          selectedIds={versionView.view.kind === "draft" ? editor.selectedNodeIds : versionView.selectedNodeIds}
          draftSelectedCount={editor.selectedNodeIds.size}
          manifests={manifests}
          catalog={{
            tasks: catalog.data?.tasks ?? [],
            flows: catalog.data?.flows ?? [],
            services: catalog.data?.services ?? [],
          }}
          problems={problems}
          problemsByNode={problemsByNode}
          titleOf={titleOf}
          isSequential={graphView.isSequential}
          readOnly={readOnly}
          canEdit={canEdit}
          commands={commands}
          test={test}
          deployedVersion={info.data?.deployedVersion}
          restoring={versions.restoring}
          onOpenVersion={(v) => void versionView.open(v)}
          onCompare={(a, b) => {
            void versionView.compare(a, b);
            setTab("inspect");
          }}
          onRestore={(v) => void versions.restore(v)}
        />
      </div>
      <EditorDialogs
        state={dialog}
        onClose={() => setDialog({ kind: "none" })}
        workspaceId={workspace.id}
        flowId={flowId}
        baseVersion={baseVersion}
        latestVersion={latestVersion}
        deployedVersion={info.data?.deployedVersion}
        saving={versions.saving}
        saveError={versions.saveError}
        problemCount={problems.length}
        onSave={(message) => void versions.save(message, baseVersion ?? 0)}
        onSaveOnTop={(message, latest) => void versions.save(message, latest)}
        onReload={(latest) => void versions.reload(latest)}
        restoring={versions.restoring}
        restoreError={versions.restoreError}
        onRestoreOnTop={(version, latest) => void versions.restore(version, latest)}
        deploying={versions.deploying}
        deployError={versions.deployError}
        lastTestRecord={test.result?.record}
        onDeploy={versions.deploy}
      />
    </div>
  );
}
