import { describe, expect, it } from "vitest";

import { FLOW_LIMITS } from "../limits.js";
import type { GraphProblem } from "../problems.js";
import { graphOf, INPUT, testCatalog, testRegistry } from "../test-fixtures.js";
import { validateGraph } from "./validate-graph.js";

const registry = testRegistry();

function problems(graph: unknown): GraphProblem[] {
  const result = validateGraph(graph, registry, testCatalog());
  return result.problems;
}

describe("validateGraph: document and tree structure", () => {
  it("accepts a valid tree and returns it typed", () => {
    const graph = graphOf(
      [INPUT, ["a", "core/tag@1", { output: "a" }], ["b", "core/tag@1", { output: "b" }]],
      [
        ["in", "next", "a"],
        ["a", "next", "b"],
      ],
    );
    const result = validateGraph(graph, registry, testCatalog());
    expect(result).toEqual({ ok: true, graph, problems: [] });
  });

  it("reports every shape error of a malformed document with its JSON pointer, and nothing else", () => {
    const result = validateGraph(
      {
        schema: 2,
        nodes: [{ id: "in", action: "core/input@1", config: {} }],
        edges: [{ source: "in", sourceHandle: "next", target: "x" }],
      },
      registry,
      testCatalog(),
    );
    expect(result.ok).toBe(false);
    expect(result.problems.map((p) => [p.code, p.path])).toEqual(
      expect.arrayContaining([
        ["invalid_document", "/schema"],
        ["invalid_document", "/nodes/0/position"],
        ["invalid_document", "/edges/0/id"],
      ]),
    );
    expect(result.problems.every((p) => p.code === "invalid_document")).toBe(true);
    expect(result.problems.find((p) => p.path === "/nodes/0/position")?.message).toBe("nodes/0/position: is missing.");
  });

  it("rejects a document that is not an object", () => {
    expect(problems("nope")).toEqual([
      expect.objectContaining({ code: "invalid_document", path: "", message: "the flow graph: must be an object." }),
    ]);
  });

  it("reports duplicate node and edge ids at the repeated entry", () => {
    const graph = graphOf(
      [INPUT, ["a", "core/tag@1", { output: "a" }], ["a", "core/tag@1", { output: "b" }]],
      [
        ["in", "next", "a"],
        ["in", "next", "a"],
      ],
    );
    graph.edges[1]!.id = "e0";
    const found = problems(graph).filter((p) => p.code === "duplicate_id");
    expect(found).toEqual([
      expect.objectContaining({ nodeId: "a", path: "/nodes/2/id" }),
      expect.objectContaining({ edgeId: "e0", path: "/edges/1/id" }),
    ]);
  });

  it("reports an edge whose source or target is not a node", () => {
    const graph = graphOf(
      [INPUT],
      [
        ["in", "next", "ghost"],
        ["phantom", "next", "in"],
      ],
    );
    expect(problems(graph)).toEqual([
      expect.objectContaining({ code: "unknown_edge_node", edgeId: "e0", path: "/edges/0/target" }),
      expect.objectContaining({ code: "unknown_edge_node", edgeId: "e1", path: "/edges/1/source" }),
    ]);
  });

  it("reports a second parent on the extra edge, naming both parents", () => {
    const graph = graphOf(
      [INPUT, ["a", "core/tag@1", { output: "a" }, "First"], ["b", "core/tag@1", { output: "b" }, "Second"]],
      [
        ["in", "next", "a"],
        ["in", "next", "b"],
        ["a", "next", "b"],
      ],
    );
    const found = problems(graph);
    expect(found).toEqual([
      expect.objectContaining({ code: "second_parent", nodeId: "b", edgeId: "e2", path: "/edges/2" }),
    ]);
    expect(found[0]!.message).toMatch(/"Second" already has a parent \(Input node "in"\).*edge from "First"/);
  });

  it("reports a missing root once and no orphans", () => {
    const graph = graphOf([["a", "core/tag@1", { output: "a" }]], []);
    expect(problems(graph)).toEqual([expect.objectContaining({ code: "missing_root", path: "/nodes" })]);
  });

  it("reports a second Input node and an edge into the root", () => {
    const graph = graphOf(
      [INPUT, ["in2", "core/input@1"], ["a", "core/tag@1", { output: "a" }]],
      [
        ["in", "next", "a"],
        ["a", "next", "in"],
      ],
    );
    const found = problems(graph);
    expect(found).toContainEqual(expect.objectContaining({ code: "duplicate_root", nodeId: "in2" }));
    expect(found).toContainEqual(expect.objectContaining({ code: "root_has_parent", nodeId: "in", edgeId: "e1" }));
  });

  it("reports a cycle once with its nodes, without calling them orphans", () => {
    const graph = graphOf(
      [
        INPUT,
        ["a", "core/tag@1", { output: "a" }, "A"],
        ["b", "core/tag@1", { output: "b" }, "B"],
        ["c", "core/tag@1", { output: "c" }, "C"],
      ],
      [
        ["a", "next", "b"],
        ["b", "next", "c"],
        ["c", "next", "a"],
      ],
    );
    const found = problems(graph);
    expect(found.map((p) => p.code)).toEqual(["cycle"]);
    expect(found[0]!.message).toMatch(/"A", "C", "B" form a cycle|"A", "B", "C" form a cycle/);
  });

  it("reports a node connected to itself", () => {
    const graph = graphOf([INPUT, ["a", "core/tag@1", { output: "a" }]], [["a", "next", "a"]]);
    expect(problems(graph)).toEqual([
      expect.objectContaining({
        code: "cycle",
        nodeId: "a",
        edgeId: "e0",
        message: expect.stringMatching(/connected to itself/),
      }),
    ]);
  });

  it("reports every node no Input reaches, naming where the loose branch starts", () => {
    const graph = graphOf(
      [INPUT, ["a", "core/tag@1", { output: "a" }, "Loose"], ["b", "core/tag@1", { output: "b" }, "Below"]],
      [["a", "next", "b"]],
    );
    const found = problems(graph);
    expect(found.map((p) => [p.code, p.nodeId])).toEqual([
      ["orphan_node", "a"],
      ["orphan_node", "b"],
    ]);
    expect(found[0]!.message).toMatch(/"Loose" never runs: it has no incoming edge/);
    expect(found[1]!.message).toMatch(/"Below" never runs: it hangs below "Loose"/);
  });

  it("refuses a graph with more nodes than the limit, and reports a looped chain at the limit as one cycle", () => {
    const chain = (length: number) => {
      const nodes: [string, string, Record<string, unknown>][] = [["in", "core/input@1", {}]];
      const edges: [string, string, string][] = [];
      for (let i = 0; i < length; i++) {
        nodes.push([`n${i}`, "core/list@1", { mode: "parallel" }]);
        edges.push([i === 0 ? "in" : `n${i - 1}`, "next", `n${i}`]);
      }
      edges.push([`n${length - 1}`, "next", "n0"]);
      return graphOf(nodes, edges);
    };
    expect(problems(chain(20_000))).toEqual([
      { code: "invalid_document", message: "nodes: at most 500 items.", path: "/nodes" },
      { code: "invalid_document", message: "edges: at most 1,000 items.", path: "/edges" },
    ]);
    const found = problems(chain(FLOW_LIMITS.maxNodes - 1));
    expect(found.map((p) => p.code)).toEqual(["second_parent", "cycle"]);
    expect(found[1]!.message).toMatch(/and 491 more form a cycle/);
  });

  it("returns problems of different kinds together", () => {
    const graph = graphOf(
      [INPUT, ["a", "core/nope@1"], ["b", "core/tag@1", {}], ["c", "core/tag@1", { output: "c" }]],
      [
        ["in", "next", "a"],
        ["in", "next", "b"],
        ["in", "bogus", "x"],
      ],
    );
    expect(problems(graph).map((p) => p.code)).toEqual([
      "unknown_action",
      "invalid_config",
      "unknown_edge_node",
      "orphan_node",
    ]);
  });
});
