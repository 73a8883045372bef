import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { markStale, outcomeFingerprints, schemaDefaults } from "./outcome-staleness";
import { outcomesOf } from "./test-outcomes";

const graph: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "in", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
    { id: "detect", action: "core/detection@1", config: { task: "t1", minProb: 0.3 }, position: { x: 0, y: 100 } },
    { id: "classify", action: "core/recognition@1", config: { task: "t2" }, position: { x: 0, y: 200 } },
    { id: "side", action: "core/recognition@1", config: { task: "t3" }, position: { x: 300, y: 100 } },
  ],
  edges: [
    { id: "e1", source: "in", sourceHandle: "next", target: "detect", order: 0 },
    { id: "e2", source: "detect", sourceHandle: "objects", target: "classify" },
    { id: "e3", source: "in", sourceHandle: "next", target: "side", order: 1 },
  ],
};

const withNode = (g: FlowGraph, id: string, change: (n: FlowGraph["nodes"][number]) => FlowGraph["nodes"][number]) => ({
  ...g,
  nodes: g.nodes.map((n) => (n.id === id ? change(n) : n)),
});

const RECOGNITION_SCHEMA = {
  type: "object",
  properties: { task: { type: "string" }, threshold: { type: "number", default: 0.5 } },
};
const defaultsOf = (action: string) =>
  action === "core/recognition@1" ? schemaDefaults(RECOGNITION_SCHEMA) : undefined;

const staleAfter = (next: FlowGraph) => {
  const outcomes = outcomesOf(
    ["detect", "classify", "side"].map((nodeId) => ({
      nodeId,
      action: "x",
      scope: { kind: "record" as const },
      seen: {},
      written: {},
      handles: [],
      timeMs: 1,
      credits: 0,
    })),
  );
  const marked = markStale(outcomes, outcomeFingerprints(graph, defaultsOf), outcomeFingerprints(next, defaultsOf));
  return [...marked].filter(([, o]) => o.stale).map(([id]) => id);
};

describe("outcome staleness", () => {
  it("marks nothing while only names and positions changed", () => {
    const moved = withNode(graph, "detect", (n) => ({ ...n, label: "Find things", position: { x: 50, y: 50 } }));
    expect(staleAfter(moved)).toEqual([]);
  });

  it("marks nothing when the settings form only spelled out a default, in another key order", () => {
    const filled = withNode(graph, "classify", (n) => ({ ...n, config: { threshold: 0.5, ...n.config } }));
    expect(staleAfter(filled)).toEqual([]);
    const reordered = withNode(graph, "detect", () => ({ ...graph.nodes[1]!, config: { minProb: 0.3, task: "t1" } }));
    expect(staleAfter(reordered)).toEqual([]);
    const changed = withNode(graph, "classify", (n) => ({ ...n, config: { ...n.config, threshold: 0.6 } }));
    expect(staleAfter(changed)).toEqual(["classify"]);
  });

  it("marks a node whose settings changed and everything below it, not its siblings", () => {
    const stricter = withNode(graph, "detect", (n) => ({ ...n, config: { ...n.config, minProb: 0.8 } }));
    expect(staleAfter(stricter)).toEqual(["detect", "classify"]);
  });

  it("marks a node moved under another handle or parent", () => {
    const moved = { ...graph, edges: graph.edges.map((e) => (e.id === "e2" ? { ...e, sourceHandle: "next" } : e)) };
    expect(staleAfter(moved)).toEqual(["classify"]);
    const reparented = { ...graph, edges: graph.edges.map((e) => (e.id === "e3" ? { ...e, source: "detect" } : e)) };
    expect(staleAfter(reparented)).toEqual(["side"]);
  });

  it("marks an outcome whose node was deleted and survives a cycle", () => {
    const without = { ...graph, nodes: graph.nodes.filter((n) => n.id !== "side") };
    expect(staleAfter(without)).toEqual(["side"]);
    const cycle = {
      ...graph,
      edges: [...graph.edges, { id: "e4", source: "classify", sourceHandle: "next", target: "in" }],
    };
    expect(outcomeFingerprints(cycle).size).toBe(4);
  });
});
