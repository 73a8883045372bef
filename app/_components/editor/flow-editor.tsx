"use client";

import { useQuery } from "@tanstack/react-query";
import { ReactFlowProvider } from "@xyflow/react";
import "@xyflow/react/dist/style.css";
import Link from "next/link";
import { type ActionManifest, type FlowGraph, type FlowNode, type GraphProblem } from "@vizflow/sdk";
import { useCallback, useMemo, useState } from "react";
import { useTRPC } from "@/_lib/trpc";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { PageLoading } from "../loading";
import { FormError } from "../ui/field";
import { Canvas } from "./canvas";
import { ConfigPanel } from "./config-panel";
import type { CanvasInfo } from "./editor-context";
import { NoticeBar, useNotice, ViewingBar } from "./editor-banners";
import { useEditCommands } from "./use-edit-commands";
import { useTestRun } from "./use-test-run";
import { useVersionActions } from "./use-version-actions";
import { useEditorShortcuts } from "./use-editor-shortcuts";
import { EditorDialogs, type DialogState } from "./editor-dialogs";
import { draftStatusText, EditorHeader } from "./editor-header";
import { objectDepths, sequencePositions } from "./graph-model";
import { Palette } from "./palette";
import { ProblemsPanel } from "./problems-panel";
import { nodeTitle, serviceCaller } from "./service-nodes";
import { schemaDefaults } from "./outcome-staleness";
import { useDraftState } from "./use-draft-state";
import { BatchTest } from "./batch-test";
import { TestRunPanel } from "./test-run-panel";
import { useDraftAutosave, useGraphCheck } from "./use-graph-check";
import { useEditorGraph } from "./use-editor-graph";
import { DiffSummary, VersionsPanel } from "./versions-panel";
import { useVersionView } from "./use-version-view";
import { useUpstreamFields } from "./use-upstream-fields";

type Tab = "inspect" | "problems" | "test" | "versions";

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
  const [tab, setTab] = useState<Tab>("inspect");
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
  const shapes = check.result?.shapes;
  const shownGraph = versionView.view.kind === "draft" ? graph : versionView.view.graph;
  const handlesOf = useCallback(
    (nodeId: string) => {
      const shape = shapes?.[nodeId];
      if (shape) return shape.handles;
      const node = graph.nodes.find((n) => n.id === nodeId) ?? shownGraph.nodes.find((n) => n.id === nodeId);
      return node ? manifests.get(node.action)?.handles : undefined;
    },
    [shapes, manifests, graph, shownGraph],
  );
  const titleOf = useCallback(
    (nodeId: string) => {
      const node = shownGraph.nodes.find((n) => n.id === nodeId) ?? graph.nodes.find((n) => n.id === nodeId);
      return node ? nodeTitle(node, manifests) : nodeId;
    },
    [shownGraph, graph, manifests],
  );
  const problems: GraphProblem[] = useMemo(() => check.result?.problems ?? [], [check.result]);
  const problemsByNode = useMemo(() => {
    const map = new Map<string, GraphProblem[]>();
    for (const p of problems) if (p.nodeId !== undefined) map.set(p.nodeId, [...(map.get(p.nodeId) ?? []), p]);
    return map;
  }, [problems]);

  const showNodeTab = useCallback(() => setTab("inspect"), []);
  const commands = useEditCommands({ editor, manifests, handlesOf, titleOf, setNotice, showNodeTab });
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
  const { outcomes } = test;

  const canvasInfo: CanvasInfo = useMemo(() => {
    const sequential = (id: string) => shapes?.[id]?.sequential ?? false;
    const positions = sequencePositions(shownGraph, sequential);
    const sequenceOf = new Map<string, number>();
    for (const edge of shownGraph.edges) {
      const position = positions.get(edge.id);
      if (position !== undefined) sequenceOf.set(edge.target, position);
    }
    const tasks = new Map((catalog.data?.tasks ?? []).map((t) => [t.id, t]));
    const flows = new Map((catalog.data?.flows ?? []).map((f) => [f.id, f]));
    return {
      manifests,
      handlesOf,
      problemsByNode: versionView.view.kind === "draft" ? problemsByNode : new Map(),
      depths: objectDepths(shownGraph, handlesOf),
      sequenceOf,
      outcomes: versionView.view.kind === "draft" ? outcomes : undefined,
      diff: versionView.view.kind === "diff" ? versionView.view.marks : undefined,
      readOnly,
      subtitleOf: (node: FlowNode) => {
        const task = typeof node.config.task === "string" ? tasks.get(node.config.task) : undefined;
        if (task) return `${task.name} · ${task.type}`;
        if (typeof node.config.flow === "string") return `Flow ${flows.get(node.config.flow)?.name ?? "?"}`;
        if (typeof node.config.mode === "string") return `In ${node.config.mode}`;
        return undefined;
      },
      checkEdge: commands.checkEdge,
    };
  }, [
    manifests,
    handlesOf,
    problemsByNode,
    shownGraph,
    shapes,
    outcomes,
    versionView.view,
    readOnly,
    catalog.data,
    commands.checkEdge,
  ]);

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

  const selectedIds = versionView.view.kind === "draft" ? editor.selectedNodeIds : versionView.selectedNodeIds;
  const selectedId = selectedIds.size === 1 ? [...selectedIds][0] : undefined;
  const selected = shownGraph.nodes.find((n) => n.id === selectedId);
  const parentEdge = selected ? shownGraph.edges.find((e) => e.target === selected.id) : undefined;
  const inSequence = parentEdge !== undefined && (shapes?.[parentEdge.source]?.sequential ?? false);
  const latestVersion = info.data?.latestVersion;
  const upstream = useUpstreamFields(
    workspace.id,
    flowId,
    shownGraph,
    selected,
    selected !== undefined && JSON.stringify(manifests.get(selected.action)?.ui ?? {}).includes('"field-path"'),
  );
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
        <aside className="flex w-96 shrink-0 flex-col border-l">
          <div role="tablist" className="flex border-b text-xs">
            {(["inspect", "problems", "test", "versions"] as const).map((t) => (
              <button
                key={t}
                type="button"
                role="tab"
                aria-selected={tab === t}
                onClick={() => setTab(t)}
                className={`flex-1 px-2 py-2 font-medium ${tab === t ? "border-b-2 border-primary text-foreground" : "text-muted-foreground"}`}
              >
                {t === "inspect"
                  ? "Node"
                  : t === "problems"
                    ? `Problems (${problems.length})`
                    : t === "test"
                      ? "Test run"
                      : "Versions"}
              </button>
            ))}
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto p-3">
            {tab === "inspect" &&
              (selected ? (
                <ConfigPanel
                  key={selected.id}
                  node={selected}
                  manifest={manifests.get(selected.action)}
                  manifests={manifests}
                  problems={versionView.view.kind === "draft" ? (problemsByNode.get(selected.id) ?? []) : []}
                  pickers={{
                    tasks: catalog.data?.tasks ?? [],
                    flows: catalog.data?.flows ?? [],
                    services: catalog.data?.services ?? [],
                    fields: upstream,
                    currentFlowId: flowId,
                  }}
                  graph={shownGraph}
                  outcome={versionView.view.kind === "draft" ? test.outcomeShown(selected.id) : undefined}
                  readOnly={readOnly}
                  onMove={inSequence && parentEdge ? (delta) => commands.moveChild(parentEdge.id, delta) : undefined}
                  onChange={commands.updateNode}
                />
              ) : versionView.view.kind === "diff" ? (
                <DiffSummary diff={versionView.view.diff} titleOf={titleOf} />
              ) : (
                <div className="grid gap-2 text-sm text-muted-foreground">
                  <p>
                    Select a node to configure it. Drag actions from the left onto the canvas, then drag from a node’s
                    bottom handle to the next node.
                  </p>
                  <p>{editor.selectedNodeIds.size > 1 ? `${editor.selectedNodeIds.size} nodes selected.` : ""}</p>
                  <ProblemsPanel problems={problems} titleOf={titleOf} onFocus={focusNode} />
                </div>
              ))}
            {tab === "problems" && <ProblemsPanel problems={problems} titleOf={titleOf} onFocus={focusNode} />}
            {/* Kept mounted on other tabs, so the chosen image and its boxes are there on coming back. */}
            <div hidden={tab !== "test"}>
              <TestRunPanel
                running={test.running}
                error={test.error}
                result={test.result}
                onRun={(image) => void test.run(image)}
                onPickBox={test.showObjectTrace}
              />
              <div className="mt-3 border-t pt-3">
                <BatchTest
                  workspaceId={workspace.id}
                  flowId={flowId}
                  graph={() => graphRef.current}
                  titleOf={titleOf}
                />
              </div>
            </div>
            {tab === "versions" && (
              <VersionsPanel
                workspaceId={workspace.id}
                flowId={flowId}
                deployedVersion={info.data?.deployedVersion}
                openVersion={versionView.view.kind === "version" ? versionView.view.version : undefined}
                readOnly={!canEdit}
                restoring={versions.restoring}
                onOpen={(v) => void versionView.open(v)}
                onCompare={(a, b) => {
                  void versionView.compare(a, b);
                  setTab("inspect");
                }}
                onRestore={(v) => void versions.restore(v)}
              />
            )}
          </div>
        </aside>
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
        deploying={versions.deploying}
        deployError={versions.deployError}
        lastTestRecord={test.result?.record}
        onDeploy={versions.deploy}
      />
    </div>
  );
}
