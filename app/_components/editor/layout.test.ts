import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { layoutGraph, NODE_HEIGHT } from "./layout";

describe("layoutGraph", () => {
  it("puts children below their parent and siblings side by side without overlap", () => {
    const graph: FlowGraph = {
      schema: 1,
      nodes: ["in", "a", "b"].map((id) => ({
        id,
        action: id === "in" ? INPUT_ACTION : "core/list@1",
        config: {},
        position: { x: 0, y: 0 },
      })),
      edges: [
        { id: "1", source: "in", sourceHandle: "next", target: "a", order: 0 },
        { id: "2", source: "in", sourceHandle: "next", target: "b", order: 1 },
      ],
    };
    const [root, a, b] = layoutGraph(graph).nodes.map((n) => n.position);
    expect(a!.y).toBeGreaterThanOrEqual(root!.y + NODE_HEIGHT);
    expect(a!.y).toBe(b!.y);
    expect(Math.abs(a!.x - b!.x)).toBeGreaterThan(200);
  });
});
