import { describe, expect, it } from "vitest";

import { FLOW_LIMITS } from "../limits.js";
import { graphOf, INPUT } from "../test-fixtures.js";
import { checkGraphDocument } from "./document.js";

describe("checkGraphDocument", () => {
  it("names each malformed field by its path in the document", () => {
    expect(checkGraphDocument({ nodes: [{ id: 1 }], edges: "not an array" })).toEqual([
      { code: "invalid_document", message: "schema: is missing.", path: "/schema" },
      { code: "invalid_document", message: "nodes/0/action: is missing.", path: "/nodes/0/action" },
      { code: "invalid_document", message: "nodes/0/config: is missing.", path: "/nodes/0/config" },
      { code: "invalid_document", message: "nodes/0/position: is missing.", path: "/nodes/0/position" },
      { code: "invalid_document", message: "nodes/0/id: must be a string.", path: "/nodes/0/id" },
      { code: "invalid_document", message: "edges: must be an array.", path: "/edges" },
    ]);
  });

  it("accepts a graph within the limits", () => {
    const graph = graphOf(
      [INPUT, ["a", "core/tag@1", { output: "x".repeat(64) }, "l".repeat(200)]],
      [["in", "next", "a"]],
    );
    expect(checkGraphDocument(graph)).toEqual([]);
  });

  it("refuses a label, an id or a handle over its limit, naming the field and the limit", () => {
    const graph = graphOf([INPUT, ["a", "core/tag@1", { output: "a" }, "x".repeat(1_000_000)]], [["in", "next", "a"]]);
    graph.edges[0]!.sourceHandle = `branch:${"h".repeat(FLOW_LIMITS.maxHandleLength)}`;
    graph.nodes[0]!.id = "i".repeat(101);
    expect(checkGraphDocument(graph).map((p) => p.message)).toEqual([
      "nodes/0/id: at most 100 characters.",
      "nodes/1/label: at most 200 characters.",
      "edges/0/sourceHandle: at most 300 characters.",
    ]);
  });

  it("refuses a config string, array or nesting over the limits, at its path in the config", () => {
    let deep: Record<string, unknown> = {};
    const top = deep;
    for (let i = 0; i < 20; i++) {
      const next: Record<string, unknown> = {};
      deep.a = next;
      deep = next;
    }
    const graph = graphOf(
      [
        INPUT,
        ["a", "core/branch@1", { task: "t", branches: ["ok", "y".repeat(2_001)] }],
        ["b", "core/branch@1", { task: "t", branches: Array.from({ length: 10_001 }, () => "z") }],
        ["c", "core/tag@1", { output: "c", nested: top }],
      ],
      [],
    );
    expect(checkGraphDocument(graph).map((p) => p.message)).toEqual([
      "nodes/1/config/branches/1: at most 2,000 characters.",
      "nodes/2/config/branches: at most 10,000 items.",
      `nodes/3/config/nested${"/a".repeat(15)}: nested deeper than 16 levels.`,
    ]);
  });

  it("refuses a document over the size limit without checking it further, and a value that is not JSON", () => {
    const nodes = Array.from({ length: 300 }, (_, i) => ({
      id: `n${i}`,
      action: "core/tag@1",
      config: { notes: Array.from({ length: 10 }, () => "w".repeat(1_900)) },
      position: { x: 0, y: 0 },
    }));
    expect(checkGraphDocument({ schema: 1, nodes, edges: [] })).toEqual([
      expect.objectContaining({ path: "", message: "the flow graph: at most 5.0 MB as JSON (this one has 5.5 MB)." }),
    ]);
    expect(checkGraphDocument({ schema: 1, nodes: [], edges: [], big: BigInt(1) })).toEqual([
      expect.objectContaining({ message: "the flow graph: must be a JSON document." }),
    ]);
  });

  it("lists at most 20 problems, then says there are more", () => {
    const nodes = Array.from({ length: 30 }, (_, i) => ({ id: i }));
    const found = checkGraphDocument({ schema: 1, nodes, edges: [] });
    expect(found).toHaveLength(21);
    expect(found[20]!.message).toBe("…and more problems like these; fix these first.");
  });
});
