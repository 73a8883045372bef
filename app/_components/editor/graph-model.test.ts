import { INPUT_ACTION, type FlowGraph, type HandleSpec } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import {
  copyFragment,
  moveInSequence,
  objectDepths,
  parseFragment,
  pasteFragment,
  removeNodes,
  sequencePositions,
} from "./graph-model";

const at = { x: 0, y: 0 };
const graph: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "in", action: INPUT_ACTION, config: {}, position: at },
    { id: "select", action: "core/object-selector@1", config: {}, position: at },
    { id: "list", action: "core/list@1", config: { mode: "sequence" }, position: at },
    { id: "a", action: "core/recognition@1", config: { output: "a" }, position: { x: 10, y: 20 } },
    { id: "b", action: "core/recognition@1", config: { output: "b" }, position: at },
    { id: "inner", action: "core/object-selector@1", config: {}, position: at },
    { id: "deep", action: "core/recognition@1", config: {}, position: at },
  ],
  edges: [
    { id: "e1", source: "in", sourceHandle: "next", target: "select" },
    { id: "e2", source: "select", sourceHandle: "objects", target: "list" },
    { id: "e3", source: "list", sourceHandle: "next", target: "b", order: 1 },
    { id: "e4", source: "list", sourceHandle: "next", target: "a", order: 0 },
    { id: "e5", source: "list", sourceHandle: "next", target: "inner", order: 2 },
    { id: "e6", source: "inner", sourceHandle: "objects", target: "deep" },
  ],
};
const handles: Record<string, HandleSpec[]> = {
  select: [{ id: "objects", fanOut: "objects" }],
  inner: [{ id: "objects", fanOut: "objects" }],
};
const isRoot = (n: { action: string }) => n.action === INPUT_ACTION;

describe("scopes and order on the canvas", () => {
  it("counts the object fan-outs above each node", () => {
    const depths = objectDepths(graph, (id) => handles[id] ?? [{ id: "next" }]);
    expect(Object.fromEntries(depths)).toMatchObject({ select: 0, list: 1, a: 1, inner: 1, deep: 2 });
  });

  it("numbers the children of a sequential parent by edge order", () => {
    const positions = sequencePositions(graph, (id) => id === "list");
    expect(Object.fromEntries(positions)).toEqual({ e4: 1, e3: 2, e5: 3 });
  });

  it("moves a child earlier and renumbers its siblings", () => {
    const moved = moveInSequence(graph, "e5", -1);
    const positions = sequencePositions(moved, (id) => id === "list");
    expect(Object.fromEntries(positions)).toEqual({ e4: 1, e5: 2, e3: 3 });
    expect(moveInSequence(graph, "e4", -1)).toBe(graph);
  });
});

describe("clipboard", () => {
  it("copies selected nodes with the edges between them and pastes them with new ids, shifted", () => {
    const fragment = copyFragment(graph, new Set(["in", "list", "a"]), isRoot);
    expect(fragment.nodes.map((n) => n.id)).toEqual(["list", "a"]);
    expect(fragment.edges.map((e) => e.id)).toEqual(["e4"]);
    const { graph: pasted, nodeIds } = pasteFragment(graph, parseFragment(JSON.stringify(fragment))!, { x: 40, y: 40 });
    expect(pasted.nodes).toHaveLength(graph.nodes.length + 2);
    const copyOfA = pasted.nodes.find((n) => n.id === nodeIds[1]);
    expect(copyOfA).toMatchObject({
      action: "core/recognition@1",
      config: { output: "a" },
      position: { x: 50, y: 60 },
    });
    const newEdge = pasted.edges.at(-1);
    expect(newEdge).toMatchObject({ source: nodeIds[0], target: nodeIds[1], sourceHandle: "next" });
  });

  it("ignores clipboard text that is not a fragment", () => {
    expect(parseFragment("hello")).toBeUndefined();
    expect(parseFragment('{"kind":"other"}')).toBeUndefined();
  });

  it("deletes nodes with their edges but never the input", () => {
    const left = removeNodes(graph, new Set(["in", "inner"]), isRoot);
    expect(left.nodes.map((n) => n.id)).not.toContain("inner");
    expect(left.nodes.map((n) => n.id)).toContain("in");
    expect(left.edges.map((e) => e.id)).toEqual(["e1", "e2", "e3", "e4"]);
  });
});
