"use client";

import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  type Connection,
  type EdgeChange,
  type FinalConnectionState,
  type IsValidConnection,
  type NodeChange,
  useNodesInitialized,
  useUpdateNodeInternals,
} from "@xyflow/react";
import { useEffect, useMemo, useRef, type DragEvent } from "react";
import { MINIMAP_SIZE, useFitClearOfPanels } from "./canvas-fit";
import { ConnectionLine } from "./connection-line";
import { CanvasContext, type CanvasInfo } from "./editor-context";
import { FlowNodeView, type CanvasNode } from "./flow-node";
import { isObjectsHandle } from "./graph-model";
import { handleKeys, nodesWithNewHandles } from "./node-handles";
import type { CanvasEdge } from "./rf-convert";

const NODE_TYPES = { action: FlowNodeView };

export interface CanvasProps {
  info: CanvasInfo;
  nodes: CanvasNode[];
  edges: CanvasEdge[];
  onNodesChange?: (changes: NodeChange<CanvasNode>[]) => void;
  onEdgesChange?: (changes: EdgeChange<CanvasEdge>[]) => void;
  onConnect?: (connection: Connection) => void;
  onRefused?: (reason: string) => void;
  onDragStop?: () => void;
  onDropAction?: (ref: string, event: DragEvent) => void;
  onNodeClick?: (nodeId: string) => void;
}

/** The React Flow canvas: nodes, edges labelled by handle (and order in a sequence), minimap and controls. */
export function Canvas({
  info,
  nodes,
  edges,
  onNodesChange,
  onEdgesChange,
  onConnect,
  onRefused,
  onDragStop,
  onDropAction,
  onNodeClick,
}: CanvasProps) {
  // A node's handles follow its config (a Branch Selector's labels); React Flow must measure them again.
  const updateNodeInternals = useUpdateNodeInternals();
  const nodeIds = useMemo(() => nodes.map((n) => n.id), [nodes]);
  const keys = useMemo(() => handleKeys(nodeIds, info.handlesOf), [nodeIds, info.handlesOf]);
  const drawnKeys = useRef<ReadonlyMap<string, string>>(new Map());
  useEffect(() => {
    const changed = nodesWithNewHandles(drawnKeys.current, keys);
    drawnKeys.current = keys;
    if (changed.length > 0) updateNodeInternals(changed);
  }, [keys, updateNodeInternals]);

  // The first view shows every node, none under the minimap (React Flow's own fit ignores its panels).
  const fitClear = useFitClearOfPanels();
  const measured = useNodesInitialized();
  const fitted = useRef(false);
  useEffect(() => {
    if (!measured || fitted.current) return;
    fitted.current = true;
    fitClear();
  }, [measured, fitClear]);

  const shownEdges = useMemo(
    () =>
      edges.map((edge) => {
        const handles = info.handlesOf(edge.source);
        const handle = edge.sourceHandle ?? "next";
        const objects = isObjectsHandle(handle, handles);
        const spec = handles?.find((h) => h.id === handle);
        const position = info.sequenceOf.get(edge.target);
        const parts = [
          handle === "next" ? undefined : (spec?.label ?? handle),
          position === undefined ? undefined : `#${position}`,
        ].filter(Boolean);
        const diff = info.diff?.get(edge.target);
        return {
          ...edge,
          label: parts.length > 0 ? parts.join(" ") : undefined,
          labelBgPadding: [4, 2] as [number, number],
          labelStyle: { fontSize: 11, fill: objects ? "#0369a1" : "#334155" },
          markerEnd: { type: MarkerType.ArrowClosed, width: 16, height: 16 },
          animated: objects,
          style: {
            strokeWidth: objects ? 2.5 : 1.5,
            stroke: diff === "added" ? "#10b981" : diff === "removed" ? "#ef4444" : objects ? "#0ea5e9" : "#64748b",
            ...(objects ? { strokeDasharray: "6 3" } : {}),
          },
        };
      }),
    [edges, info],
  );

  const isValidConnection: IsValidConnection = (c) =>
    c.sourceHandle != null && info.checkEdge(c.source, c.sourceHandle, c.target).ok;

  const onConnectEnd = (_event: MouseEvent | TouchEvent, state: FinalConnectionState) => {
    if (state.isValid !== false || !state.fromNode || !state.toNode || !state.fromHandle?.id) return;
    const verdict = info.checkEdge(state.fromNode.id, state.fromHandle.id, state.toNode.id);
    if (!verdict.ok) onRefused?.(verdict.reason);
  };

  return (
    <CanvasContext.Provider value={info}>
      <ReactFlow<CanvasNode, CanvasEdge>
        nodes={nodes}
        edges={shownEdges}
        nodeTypes={NODE_TYPES}
        onNodesChange={onNodesChange}
        onEdgesChange={onEdgesChange}
        onConnect={onConnect}
        onConnectEnd={onConnectEnd}
        onNodeClick={(_event, node) => onNodeClick?.(node.id)}
        onNodeDragStop={onDragStop}
        onSelectionDragStop={onDragStop}
        isValidConnection={isValidConnection}
        connectionLineComponent={ConnectionLine}
        nodesDraggable={!info.readOnly}
        nodesConnectable={!info.readOnly}
        edgesFocusable={!info.readOnly}
        deleteKeyCode={null}
        multiSelectionKeyCode={["Shift", "Meta", "Control"]}
        selectionKeyCode="Shift"
        minZoom={0.1}
        onDragOver={(e) => {
          e.preventDefault();
          e.dataTransfer.dropEffect = "move";
        }}
        onDrop={(e) => {
          const ref = e.dataTransfer.getData("application/vizflow-action");
          if (ref && onDropAction) {
            e.preventDefault();
            onDropAction(ref, e);
          }
        }}
        proOptions={{ hideAttribution: true }}
      >
        <Background gap={16} />
        <MiniMap pannable zoomable className="!bg-background" nodeStrokeWidth={3} style={MINIMAP_SIZE} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </CanvasContext.Provider>
  );
}
