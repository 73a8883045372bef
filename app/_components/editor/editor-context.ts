"use client";

import { createContext, useContext } from "react";
import type { ActionManifest, FlowNode, GraphProblem, HandleSpec } from "@vizflow/sdk";
import type { ConnectionVerdict } from "./connection-rules";
import type { NodeOutcome } from "./test-outcomes";

export type DiffMark = "added" | "removed" | "changed";

/** What every node on the canvas reads besides its own data; one object so nodes subscribe once. */
export interface CanvasInfo {
  manifests: ReadonlyMap<string, ActionManifest>;
  handlesOf: (nodeId: string) => readonly HandleSpec[] | undefined;
  problemsByNode: ReadonlyMap<string, GraphProblem[]>;
  depths: ReadonlyMap<string, number>;
  /** Order of a node among its siblings under a List in sequence mode (1-based). */
  sequenceOf: ReadonlyMap<string, number>;
  outcomes: ReadonlyMap<string, NodeOutcome> | undefined;
  diff: ReadonlyMap<string, DiffMark> | undefined;
  readOnly: boolean;
  /** A line under the node's title: its task, flow or mode. */
  subtitleOf: (node: FlowNode) => string | undefined;
  /** Whether an edge may be drawn, with the reason when not (shown while dragging). */
  checkEdge: (source: string, sourceHandle: string, target: string) => ConnectionVerdict;
}

export const CanvasContext = createContext<CanvasInfo | null>(null);

export function useCanvasInfo(): CanvasInfo {
  const info = useContext(CanvasContext);
  if (info === null) throw new Error("useCanvasInfo() is used outside the flow canvas");
  return info;
}
