import { INPUT_ACTION, type FlowEdge, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_HEIGHT, NODE_WIDTH } from "./layout";

const graphOf = (ids: string[], edges: FlowEdge[]): FlowGraph => ({
  schema: 1,
  nodes: ids.map((id) => ({
    id,
    action: id === "in" ? INPUT_ACTION : "core/list@1",
    config: {},
    position: { x: 0, y: 0 },
  })),
  edges,
});
const edge = (source: string, sourceHandle: string, target: string, order = 0): FlowEdge => ({
  id: `${source}-${target}`,
  source,
  sourceHandle,
  target,
  order,
});

describe("layoutGraph", () => {
  it("puts children below their parent and siblings side by side without overlap", () => {
    const graph = graphOf(["in", "a", "b"], [edge("in", "next", "a", 0), edge("in", "next", "b", 1)]);
    const [root, a, b] = layoutGraph(graph).nodes.map((n) => n.position);
    expect(a!.y).toBeGreaterThanOrEqual(root!.y + NODE_HEIGHT);
    expect(a!.y).toBe(b!.y);
    expect(Math.abs(a!.x - b!.x)).toBeGreaterThan(200);
    expect(a!.x).toBeLessThan(b!.x);
  });

  it("places each child under its own branch handle, left to right as the handles are drawn", () => {
    // Edges drawn in the opposite order of the handles, as a user connecting the last branch first would.
    const graph = graphOf(
      ["in", "branch", "c", "b", "a", "else-child"],
      [
        edge("in", "next", "branch"),
        edge("branch", "else", "else-child"),
        edge("branch", "branch:cat", "c"),
        edge("branch", "branch:bird", "b"),
        edge("branch", "branch:ant", "a"),
      ],
    );
    const handles = ["branch:ant", "branch:bird", "branch:cat", "else"];
    const laid = layoutGraph(graph, { handlesOf: (id) => (id === "branch" ? handles : ["next"]) });
    const x = (id: string) => laid.nodes.find((n) => n.id === id)!.position.x;
    const xs = ["a", "b", "c", "else-child"].map(x);
    expect(xs).toEqual([...xs].sort((p, q) => p - q));
    expect(new Set(xs).size).toBe(4);
  });

  it("keeps grandchildren under their own parent's side", () => {
    const graph = graphOf(
      ["in", "s", "left", "right", "l1", "r1"],
      [
        edge("in", "next", "s"),
        edge("s", "false", "right"),
        edge("s", "true", "left"),
        edge("right", "next", "r1"),
        edge("left", "next", "l1"),
      ],
    );
    const laid = layoutGraph(graph, { handlesOf: (id) => (id === "s" ? ["true", "false"] : ["next"]) });
    const x = (id: string) => laid.nodes.find((n) => n.id === id)!.position.x;
    expect(x("left")).toBeLessThan(x("right"));
    expect(x("l1")).toBeLessThan(x("r1"));
  });

  it("uses each node's measured size, so a tall node does not cover the one below it", () => {
    const graph = graphOf(
      ["in", "tall", "below", "wide", "next-to-wide"],
      [
        edge("in", "next", "tall"),
        edge("tall", "next", "below"),
        edge("in", "next", "wide", 1),
        edge("in", "next", "next-to-wide", 2),
      ],
    );
    const sizes: Record<string, { width: number; height: number }> = {
      tall: { width: NODE_WIDTH, height: 260 },
      wide: { width: 520, height: NODE_HEIGHT },
    };
    const laid = layoutGraph(graph, { sizeOf: (id) => sizes[id] });
    const at = (id: string) => laid.nodes.find((n) => n.id === id)!.position;
    expect(at("below").y).toBeGreaterThanOrEqual(at("tall").y + 260);
    // Side by side on one rank: no horizontal overlap with the wide node's real width.
    const [left, right] = ["wide", "next-to-wide"].map(at).sort((p, q) => p.x - q.x);
    const leftWidth = left === at("wide") ? 520 : NODE_WIDTH;
    expect(right!.x).toBeGreaterThanOrEqual(left!.x + leftWidth);
  });
});
