import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { checkConnection, isAncestor, nextSiblingOrder } from "./connection-rules";

const graph: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "in", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
    { id: "select", action: "core/object-selector@1", config: { task: "t" }, position: { x: 0, y: 0 } },
    { id: "classify", action: "core/recognition@1", config: {}, position: { x: 0, y: 0 } },
    { id: "loose", action: "core/recognition@1", config: {}, position: { x: 0, y: 0 } },
  ],
  edges: [
    { id: "e1", source: "in", sourceHandle: "next", target: "select" },
    { id: "e2", source: "select", sourceHandle: "objects", target: "classify", order: 0 },
  ],
};
const handles: Record<string, string[]> = { in: ["next"], select: ["objects"], classify: ["next"], loose: ["next"] };
const handlesOf = (id: string) => handles[id];

describe("checkConnection", () => {
  it("accepts a free node under an existing handle", () => {
    expect(checkConnection(graph, { source: "select", sourceHandle: "objects", target: "loose" }, handlesOf)).toEqual({
      ok: true,
    });
  });

  it("refuses a second parent and names the current one", () => {
    const verdict = checkConnection(graph, { source: "in", sourceHandle: "next", target: "classify" }, handlesOf);
    expect(verdict).toEqual({ ok: false, reason: expect.stringContaining("already runs after select") as string });
  });

  it("refuses an edge into the input node", () => {
    const verdict = checkConnection(graph, { source: "loose", sourceHandle: "next", target: "in" }, handlesOf);
    expect(verdict.ok).toBe(false);
    expect(!verdict.ok && verdict.reason).toMatch(/input/);
  });

  it("refuses a loop back to an ancestor", () => {
    const withoutParent: FlowGraph = { ...graph, edges: graph.edges.filter((e) => e.id !== "e1") };
    const verdict = checkConnection(
      withoutParent,
      { source: "classify", sourceHandle: "next", target: "select" },
      handlesOf,
    );
    expect(!verdict.ok && verdict.reason).toMatch(/loop/);
  });

  it("refuses a handle the source does not have", () => {
    const verdict = checkConnection(graph, { source: "select", sourceHandle: "next", target: "loose" }, handlesOf);
    expect(!verdict.ok && verdict.reason).toMatch(/no output “next”/);
  });

  it("refuses a node feeding itself", () => {
    const verdict = checkConnection(graph, { source: "loose", sourceHandle: "next", target: "loose" }, handlesOf);
    expect(verdict.ok).toBe(false);
  });

  it("uses display names in reasons", () => {
    const verdict = checkConnection(
      graph,
      { source: "in", sourceHandle: "next", target: "classify" },
      handlesOf,
      (id) => `«${id}»`,
    );
    expect(!verdict.ok && verdict.reason).toMatch(/«classify» already runs after «select»/);
  });
});

describe("tree helpers", () => {
  it("finds ancestors along parent edges and stops on broken cycles", () => {
    expect(isAncestor(graph, "in", "classify")).toBe(true);
    expect(isAncestor(graph, "classify", "in")).toBe(false);
    const looped: FlowGraph = {
      ...graph,
      edges: [...graph.edges, { id: "x", source: "classify", sourceHandle: "next", target: "in" }],
    };
    expect(isAncestor(looped, "loose", "classify")).toBe(false);
  });

  it("orders a new child after its siblings under the same handle", () => {
    expect(nextSiblingOrder(graph, "select", "objects")).toBe(1);
    expect(nextSiblingOrder(graph, "classify", "next")).toBe(0);
  });
});
