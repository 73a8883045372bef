/** What a batch test shows per image: its outcome, the fields written, and each node's time and credits. */
import type { NodeTrace, RecordResult } from "@vizflow/flow-engine";
import type { RecordStatus } from "@vizflow/sdk";

/** The most images one batch test may run (as many as one API request may carry). */
export const MAX_BATCH_IMAGES = 100;

/** One node's share of one image: summed over the scopes it ran on (the record, or each object). */
export interface NodeCost {
  nodeId: string;
  action: string;
  /** Scopes it ran on. */
  runs: number;
  timeMs: number;
  credits: number;
  /** The first failure's message, when any run failed. */
  error?: string;
  failures: number;
}

export interface BatchImageResult {
  status: RecordStatus;
  width: number | undefined;
  height: number | undefined;
  /** What the flow wrote into the record (objects included), without the status and size. */
  fields: Record<string, unknown>;
  /** What the image was billed: its nodes' credits, or 0 when it failed (failed records cost nothing). */
  credits: number;
  nodes: NodeCost[];
}

/** Each node's runs of one image, in the order the nodes first ran; nested flows count toward their node. */
export function nodeCosts(trace: readonly NodeTrace[]): NodeCost[] {
  const byNode = new Map<string, NodeCost>();
  for (const run of trace) {
    let cost = byNode.get(run.nodeId);
    if (!cost) {
      cost = { nodeId: run.nodeId, action: run.action, runs: 0, timeMs: 0, credits: 0, failures: 0 };
      byNode.set(run.nodeId, cost);
    }
    cost.runs += 1;
    cost.timeMs += run.timeMs;
    cost.credits += run.credits;
    if (run.error !== undefined) {
      cost.failures += 1;
      cost.error ??= run.error;
    }
  }
  return [...byNode.values()].map((c) => ({ ...c, timeMs: Math.round(c.timeMs * 10) / 10 }));
}

/** One image's row of the results table, from its response record and trace. */
export function batchImageResult(record: RecordResult, trace: readonly NodeTrace[]): BatchImageResult {
  const { _status, _width, _height, ...fields } = record;
  const nodes = nodeCosts(trace);
  return {
    status: _status,
    width: _width,
    height: _height,
    fields,
    credits: _status.code < 300 ? nodes.reduce((sum, n) => sum + n.credits, 0) : 0,
    nodes,
  };
}
