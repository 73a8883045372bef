"use client";

import type { ActionManifest, FlowGraph, GraphProblem } from "@vizflow/sdk";
import { BatchTest } from "./batch-test";
import { ConfigPanel } from "./config-panel";
import { ProblemsPanel } from "./problems-panel";
import { TestRunPanel } from "./test-run-panel";
import type { EditCommands } from "./use-edit-commands";
import type { useTestRun } from "./use-test-run";
import { useUpstreamFields } from "./use-upstream-fields";
import type { VersionView } from "./use-version-view";
import { DiffSummary, VersionsPanel } from "./versions-panel";
import type { PickerContext } from "./widgets";

export type EditorTab = "inspect" | "problems" | "test" | "versions";

const TABS = ["inspect", "problems", "test", "versions"] as const;

export interface EditorSidePanelProps {
  workspaceId: string;
  flowId: string;
  tab: EditorTab;
  onTab: (tab: EditorTab) => void;
  /** What the canvas shows: the draft, or the version opened or compared. */
  view: VersionView;
  shownGraph: FlowGraph;
  /** The draft as it is now (a batch test runs it). */
  draft: () => FlowGraph;
  /** The nodes selected on the canvas shown. */
  selectedIds: ReadonlySet<string>;
  /** How many of the draft's nodes are selected. */
  draftSelectedCount: number;
  manifests: ReadonlyMap<string, ActionManifest>;
  catalog: Pick<PickerContext, "tasks" | "flows" | "services">;
  problems: GraphProblem[];
  problemsByNode: ReadonlyMap<string, GraphProblem[]>;
  titleOf: (nodeId: string) => string;
  /** Whether a node runs its children in sequence (so they can be moved among each other). */
  isSequential: (nodeId: string) => boolean;
  readOnly: boolean;
  canEdit: boolean;
  commands: Pick<EditCommands, "focusNode" | "moveChild" | "updateNode">;
  test: ReturnType<typeof useTestRun>;
  deployedVersion: number | undefined;
  restoring: boolean;
  onOpenVersion: (version: number) => void;
  onCompare: (before: number, after: number) => void;
  onRestore: (version: number) => void;
}

/** The editor's right-hand side: the selected node, the problems, test runs and versions, one tab each. */
export function EditorSidePanel(props: EditorSidePanelProps) {
  const { tab, view, shownGraph, manifests, problems, titleOf, commands } = props;
  const selectedId = props.selectedIds.size === 1 ? [...props.selectedIds][0] : undefined;
  const selected = shownGraph.nodes.find((n) => n.id === selectedId);
  const parentEdge = selected ? shownGraph.edges.find((e) => e.target === selected.id) : undefined;
  const inSequence = parentEdge !== undefined && props.isSequential(parentEdge.source);
  const upstream = useUpstreamFields(
    props.workspaceId,
    props.flowId,
    shownGraph,
    selected,
    selected !== undefined && JSON.stringify(manifests.get(selected.action)?.ui ?? {}).includes('"field-path"'),
  );
  const focusNode = commands.focusNode;
  return (
    <aside className="flex w-96 shrink-0 flex-col border-l">
      <div role="tablist" className="flex border-b text-xs">
        {TABS.map((t) => (
          <button
            key={t}
            type="button"
            role="tab"
            aria-selected={tab === t}
            onClick={() => props.onTab(t)}
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
              problems={view.kind === "draft" ? (props.problemsByNode.get(selected.id) ?? []) : []}
              pickers={{ ...props.catalog, fields: upstream, currentFlowId: props.flowId }}
              graph={shownGraph}
              outcome={view.kind === "draft" ? props.test.outcomeShown(selected.id) : undefined}
              readOnly={props.readOnly}
              onMove={inSequence && parentEdge ? (delta) => commands.moveChild(parentEdge.id, delta) : undefined}
              onChange={commands.updateNode}
            />
          ) : view.kind === "diff" ? (
            <DiffSummary diff={view.diff} titleOf={titleOf} />
          ) : (
            <div className="grid gap-2 text-sm text-muted-foreground">
              <p>
                Select a node to configure it. Drag actions from the left onto the canvas, then drag from a node’s
                bottom handle to the next node.
              </p>
              <p>{props.draftSelectedCount > 1 ? `${props.draftSelectedCount} nodes selected.` : ""}</p>
              <ProblemsPanel problems={problems} titleOf={titleOf} onFocus={focusNode} />
            </div>
          ))}
        {tab === "problems" && <ProblemsPanel problems={problems} titleOf={titleOf} onFocus={focusNode} />}
        {/* Kept mounted on other tabs, so the chosen image and its boxes are there on coming back. */}
        <div hidden={tab !== "test"}>
          <TestRunPanel
            running={props.test.running}
            error={props.test.error}
            result={props.test.result}
            onRun={(image) => void props.test.run(image)}
            onPickBox={props.test.showObjectTrace}
          />
          <div className="mt-3 border-t pt-3">
            <BatchTest workspaceId={props.workspaceId} flowId={props.flowId} graph={props.draft} titleOf={titleOf} />
          </div>
        </div>
        {tab === "versions" && (
          <VersionsPanel
            workspaceId={props.workspaceId}
            flowId={props.flowId}
            deployedVersion={props.deployedVersion}
            openVersion={view.kind === "version" ? view.version : undefined}
            readOnly={!props.canEdit}
            restoring={props.restoring}
            onOpen={props.onOpenVersion}
            onCompare={props.onCompare}
            onRestore={props.onRestore}
          />
        )}
      </div>
    </aside>
  );
}
