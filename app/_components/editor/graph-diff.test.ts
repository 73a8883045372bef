import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { diffGraphs, jsonEqual, valueChanges } from "./graph-diff";

const v1: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "in", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
    { id: "select", action: "core/object-selector@1", config: { task: "t", minProb: 0.5 }, position: { x: 0, y: 100 } },
    { id: "old", action: "core/recognition@1", config: { task: "c", output: "kind" }, position: { x: 0, y: 200 } },
  ],
  edges: [
    { id: "e1", source: "in", sourceHandle: "next", target: "select" },
    { id: "e2", source: "select", sourceHandle: "objects", target: "old" },
  ],
};

describe("diffGraphs", () => {
  it("reports added, removed and changed nodes with the config paths that changed", () => {
    const v2: FlowGraph = {
      ...v1,
      nodes: [
        v1.nodes[0]!,
        { ...v1.nodes[1]!, config: { task: "t", minProb: 0.8, labels: ["dog"] }, position: { x: 50, y: 100 } },
        { id: "new", action: "core/recognition@1", config: { task: "c", output: "kind" }, position: { x: 0, y: 200 } },
      ],
      edges: [v1.edges[0]!, { id: "e3", source: "select", sourceHandle: "objects", target: "new" }],
    };
    const diff = diffGraphs(v1, v2);
    expect(diff.same).toBe(false);
    expect(diff.nodes.added.map((n) => n.id)).toEqual(["new"]);
    expect(diff.nodes.removed.map((n) => n.id)).toEqual(["old"]);
    expect(diff.nodes.changed).toHaveLength(1);
    expect(diff.nodes.changed[0]?.changes).toEqual([
      { path: "/config/labels", before: undefined, after: ["dog"] },
      { path: "/config/minProb", before: 0.5, after: 0.8 },
    ]);
    expect(diff.edges.added.map((e) => e.id)).toEqual(["e3"]);
    expect(diff.edges.removed.map((e) => e.id)).toEqual(["e2"]);
  });

  it("ignores moved nodes and re-drawn edges with new ids", () => {
    const moved: FlowGraph = {
      ...v1,
      nodes: v1.nodes.map((n) => ({ ...n, position: { x: n.position.x + 10, y: 0 } })),
      edges: v1.edges.map((e) => ({ ...e, id: `${e.id}-redrawn` })),
    };
    expect(diffGraphs(v1, moved).same).toBe(true);
  });

  it("reports a changed sibling order as an edge change", () => {
    const reordered: FlowGraph = { ...v1, edges: [v1.edges[0]!, { ...v1.edges[1]!, order: 2 }] };
    const diff = diffGraphs(v1, reordered);
    expect(diff.edges.changed[0]?.changes).toEqual([{ path: "/order", before: undefined, after: 2 }]);
  });
});

describe("JSON helpers", () => {
  it("compares objects regardless of key order and arrays by position", () => {
    expect(jsonEqual({ a: 1, b: [1, 2] }, { b: [1, 2], a: 1 })).toBe(true);
    expect(jsonEqual([1, 2], [2, 1])).toBe(false);
  });

  it("escapes pointer segments", () => {
    expect(valueChanges("", { "a/b": 1 }, { "a/b": 2 })).toEqual([{ path: "/a~1b", before: 1, after: 2 }]);
  });
});
