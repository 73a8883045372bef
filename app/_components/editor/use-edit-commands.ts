"use client";

import { useReactFlow, type Connection } from "@xyflow/react";
import { INPUT_ACTION, type ActionManifest, type FlowGraph, type FlowNode, type HandleSpec } from "@vizflow/sdk";
import { useCallback, useRef } from "react";
import { useFitClearOfPanels } from "./canvas-fit";
import { checkConnection, nextSiblingOrder } from "./connection-rules";
import type { Notice } from "./editor-banners";
import type { CanvasInfo } from "./editor-context";
import { copyFragment, moveInSequence, newId, pasteFragment, removeNodes, type Fragment } from "./graph-model";
import { layoutGraph, NODE_HEIGHT } from "./layout";
import { focusField } from "./problems-panel";
import { newNodeConfig } from "./service-nodes";
import type { useEditorGraph } from "./use-editor-graph";

const isRoot = (n: FlowNode) => n.action === INPUT_ACTION;

/** The draft's editing operations; each is one undo step. */
export function useEditCommands({
  editor,
  manifests,
  handlesOf,
  handlesKnown,
  titleOf,
  setNotice,
  showNodeTab,
}: {
  editor: ReturnType<typeof useEditorGraph>;
  manifests: ReadonlyMap<string, ActionManifest>;
  handlesOf: (nodeId: string) => readonly HandleSpec[] | undefined;
  /** Whether `handlesOf` is up to date with the node's settings (see `handlesSettled`). */
  handlesKnown: (nodeId: string) => boolean;
  titleOf: (nodeId: string) => string;
  setNotice: (notice: Notice) => void;
  /** Opens the side panel's Node tab. */
  showNodeTab: () => void;
}) {
  const flow = useReactFlow();
  const fitClear = useFitClearOfPanels();
  const { graphRef, commit } = editor;
  const clipboard = useRef<Fragment | undefined>(undefined);

  const checkEdge: CanvasInfo["checkEdge"] = useCallback(
    (source, sourceHandle, target) =>
      checkConnection(
        graphRef.current,
        { source, sourceHandle, target },
        (id) => handlesOf(id)?.map((h) => h.id),
        titleOf,
      ),
    [graphRef, handlesOf, titleOf],
  );
  const newNode = useCallback(
    (ref: string, position: { x: number; y: number }): FlowNode | undefined => {
      const made = newNodeConfig(ref, manifests);
      if (!made) return undefined;
      return { id: newId(made.idPrefix), action: made.action, config: made.config, position };
    },
    [manifests],
  );
  const addAction = useCallback(
    (ref: string, position?: { x: number; y: number }) => {
      const current = graphRef.current;
      const [parentId] = editor.selectedNodeIds.size === 1 ? [...editor.selectedNodeIds] : [];
      const parent = current.nodes.find((n) => n.id === parentId);
      const at =
        position ??
        (parent
          ? { x: parent.position.x, y: parent.position.y + NODE_HEIGHT + 70 }
          : flow.screenToFlowPosition({ x: window.innerWidth / 2, y: window.innerHeight / 2 }));
      const node = newNode(ref, at);
      if (!node) return;
      let next: FlowGraph = { ...current, nodes: [...current.nodes, node] };
      // A handle computed from settings just changed is not known yet: guessing one would connect the new
      // node under the wrong branch without a word, so it is left for the user to connect.
      const known = parent !== undefined && handlesKnown(parent.id);
      const handle = parent && !position && known ? handlesOf(parent.id)?.[0]?.id : undefined;
      if (parent && !position && !known) {
        setNotice({
          text: `Not connected: the handles of “${titleOf(parent.id)}” are still being updated from its settings; drag from the one you want.`,
          tone: "info",
        });
      }
      if (
        parent &&
        handle &&
        checkConnection(next, { source: parent.id, sourceHandle: handle, target: node.id }, () => undefined).ok
      ) {
        next = {
          ...next,
          edges: [
            ...next.edges,
            {
              id: newId("edge"),
              source: parent.id,
              sourceHandle: handle,
              target: node.id,
              order: nextSiblingOrder(next, parent.id, handle),
            },
          ],
        };
      }
      commit(next, { select: new Set([node.id]) });
      showNodeTab();
    },
    [graphRef, editor.selectedNodeIds, flow, newNode, handlesOf, handlesKnown, titleOf, setNotice, commit, showNodeTab],
  );
  /** Drops an action where the pointer let go of it (the node's top left a little up and left of it). */
  const dropAction = (ref: string, event: { clientX: number; clientY: number }) =>
    addAction(ref, flow.screenToFlowPosition({ x: event.clientX - 110, y: event.clientY - 20 }));
  const onConnect = useCallback(
    (c: Connection) => {
      if (!c.sourceHandle) return;
      const current = graphRef.current;
      const verdict = checkEdge(c.source, c.sourceHandle, c.target);
      if (!verdict.ok) {
        setNotice({ text: verdict.reason, tone: "error" });
        return;
      }
      const edge = {
        id: newId("edge"),
        source: c.source,
        sourceHandle: c.sourceHandle,
        target: c.target,
        order: nextSiblingOrder(current, c.source, c.sourceHandle),
      };
      commit({ ...current, edges: [...current.edges, edge] });
    },
    [graphRef, checkEdge, commit, setNotice],
  );
  const deleteSelection = () => {
    const current = graphRef.current;
    const withoutNodes = removeNodes(current, editor.selectedNodeIds, isRoot);
    const next = { ...withoutNodes, edges: withoutNodes.edges.filter((e) => !editor.selectedEdgeIds.has(e.id)) };
    if (next.nodes.length !== current.nodes.length || next.edges.length !== current.edges.length)
      commit(next, { select: new Set() });
  };
  const copy = () => {
    const fragment = copyFragment(graphRef.current, editor.selectedNodeIds, isRoot);
    if (fragment.nodes.length === 0) return;
    clipboard.current = fragment;
    void navigator.clipboard?.writeText(JSON.stringify(fragment)).catch(() => undefined);
    setNotice({ text: `Copied ${fragment.nodes.length} node${fragment.nodes.length === 1 ? "" : "s"}.`, tone: "info" });
  };
  const paste = (fragment = clipboard.current) => {
    if (!fragment) return;
    const { graph: next, nodeIds } = pasteFragment(graphRef.current, fragment, { x: 40, y: 40 });
    commit(next, { select: new Set(nodeIds) });
  };
  const duplicate = () => paste(copyFragment(graphRef.current, editor.selectedNodeIds, isRoot));
  const autoLayout = () => {
    commit(
      layoutGraph(graphRef.current, {
        sizeOf: (id) => flow.getNode(id)?.measured,
        handlesOf: (id) => handlesOf(id)?.map((h) => h.id),
      }),
    );
    window.setTimeout(() => fitClear({ duration: 300 }), 50);
  };
  const updateNode = (node: FlowNode) => {
    const current = graphRef.current;
    commit(
      { ...current, nodes: current.nodes.map((n) => (n.id === node.id ? node : n)) },
      { amendKey: `node:${node.id}` },
    );
  };
  const moveChild = (edgeId: string, delta: -1 | 1) => commit(moveInSequence(graphRef.current, edgeId, delta));
  const selectAll = () => commit(graphRef.current, { select: new Set(graphRef.current.nodes.map((n) => n.id)) });
  const deselect = () => commit(graphRef.current, { select: new Set() });
  const fitView = () => fitClear({ duration: 300 });
  const focusNode = (nodeId: string, path?: string) => {
    const current = graphRef.current;
    commit(current, { select: new Set([nodeId]) });
    showNodeTab();
    void flow.fitView({ nodes: [{ id: nodeId }], duration: 300, maxZoom: 1.2 });
    if (path !== undefined && path !== "") focusField(path);
  };
  return {
    checkEdge,
    addAction,
    dropAction,
    onConnect,
    deleteSelection,
    copy,
    paste,
    duplicate,
    autoLayout,
    updateNode,
    moveChild,
    selectAll,
    deselect,
    fitView,
    focusNode,
  };
}

export type EditCommands = ReturnType<typeof useEditCommands>;
