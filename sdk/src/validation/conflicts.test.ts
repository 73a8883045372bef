import { describe, expect, it } from "vitest";

import type { GraphProblem } from "../problems.js";
import { graphOf, INPUT, testCatalog, testRegistry, type NodeSpec } from "../test-fixtures.js";
import { validateGraph } from "./validate-graph.js";

const registry = testRegistry();
const tag = (id: string, output: string, label?: string): NodeSpec => [id, "core/tag@1", { output }, label];

function conflicts(graph: ReturnType<typeof graphOf>): GraphProblem[] {
  const { problems } = validateGraph(graph, registry, testCatalog());
  expect(problems.filter((p) => p.code !== "output_conflict")).toEqual([]);
  return problems;
}

describe("validateGraph: concurrent siblings writing the same field", () => {
  it("reports two siblings of one handle writing the same field, naming both", () => {
    const graph = graphOf(
      [INPUT, tag("a", "color", "Paint A"), tag("b", "color", "Paint B")],
      [
        ["in", "next", "a"],
        ["in", "next", "b"],
      ],
    );
    const found = conflicts(graph);
    expect(found).toEqual([expect.objectContaining({ code: "output_conflict", nodeId: "b", path: "/nodes/2" })]);
    expect(found[0]!.message).toMatch(/"Paint B" and "Paint A" both write "color" into the record/);
  });

  it("allows the same field along a chain, which runs in sequence", () => {
    const graph = graphOf(
      [INPUT, tag("a", "color"), tag("b", "color")],
      [
        ["in", "next", "a"],
        ["a", "next", "b"],
      ],
    );
    expect(conflicts(graph)).toEqual([]);
  });

  it("allows siblings under a List in sequence mode, but not in parallel mode", () => {
    const under = (mode: string) =>
      graphOf(
        [INPUT, ["l", "core/list@1", { mode }], tag("a", "color"), tag("b", "color")],
        [
          ["in", "next", "l"],
          ["l", "next", "a", 1],
          ["l", "next", "b", 2],
        ],
      );
    expect(conflicts(under("sequence"))).toEqual([]);
    expect(conflicts(under("parallel")).map((p) => p.nodeId)).toEqual(["b"]);
  });

  it("allows exclusive handles (a Condition's true and false) to write the same field", () => {
    const graph = graphOf(
      [INPUT, ["c", "core/condition@1"], tag("a", "verdict"), tag("b", "verdict")],
      [
        ["in", "next", "c"],
        ["c", "true", "a"],
        ["c", "false", "b"],
      ],
    );
    expect(conflicts(graph)).toEqual([]);
  });

  it("reports children of two handles that may both be taken", () => {
    const graph = graphOf(
      [INPUT, tag("t", "t"), tag("a", "x"), tag("b", "x")],
      [
        ["in", "next", "t"],
        ["t", "next", "a"],
        ["t", "fork", "b"],
      ],
    );
    expect(conflicts(graph).map((p) => p.nodeId)).toEqual(["b"]);
  });

  it("counts a deep writer for its top sibling when it writes into the same scope", () => {
    const graph = graphOf(
      [INPUT, tag("a", "a"), tag("a2", "shared", "Deep"), tag("b", "shared", "Other")],
      [
        ["in", "next", "a"],
        ["a", "next", "a2"],
        ["in", "next", "b"],
      ],
    );
    const found = conflicts(graph);
    expect(found.map((p) => p.nodeId)).toEqual(["b"]);
    expect(found[0]!.message).toMatch(/"Other" and "Deep" both write "shared"/);
  });

  it("does not count writes into objects against writes into the record", () => {
    const graph = graphOf(
      [INPUT, ["o", "core/objects@1", { task: "boxes", maxObjects: 5 }], tag("inObject", "color"), tag("b", "color")],
      [
        ["in", "next", "o"],
        ["o", "objects", "inObject"],
        ["in", "next", "b"],
      ],
    );
    expect(conflicts(graph)).toEqual([]);
  });

  it("reports two children of an objects handle writing the same field into each object", () => {
    const graph = graphOf(
      [
        INPUT,
        ["o", "core/objects@1", { task: "boxes", maxObjects: 5 }, "People"],
        tag("a", "color"),
        tag("b", "color"),
        tag("c", "color"),
      ],
      [
        ["in", "next", "o"],
        ["o", "objects", "a"],
        ["o", "objects", "b"],
        ["o", "next", "c"],
      ],
    );
    const found = conflicts(graph);
    expect(found.map((p) => p.nodeId)).toEqual(["b"]);
    expect(found[0]!.message).toMatch(/into each object of "People"/);
  });

  it("reports two siblings writing into the same object below an objects handle", () => {
    const graph = graphOf(
      [INPUT, ["o", "core/objects@1", { task: "boxes", maxObjects: 5 }], tag("t", "t"), tag("a", "x"), tag("b", "x")],
      [
        ["in", "next", "o"],
        ["o", "objects", "t"],
        ["t", "next", "a"],
        ["t", "next", "b"],
      ],
    );
    const found = conflicts(graph);
    expect(found.map((p) => p.nodeId)).toEqual(["b"]);
    expect(found[0]!.message).toMatch(/into the same object/);
  });

  it("reports two parallel Service nodes whose services write the same field", () => {
    const ocr = (id: string, label: string): NodeSpec => [
      id,
      "core/service@1",
      { service: "ocr/read-text@1", config: { lang: "en" } },
      label,
    ];
    const graph = graphOf(
      [INPUT, ocr("a", "Read A"), ocr("b", "Read B")],
      [
        ["in", "next", "a"],
        ["in", "next", "b"],
      ],
    );
    const found = conflicts(graph).filter((p) => p.message.includes('"text"'));
    expect(found.map((p) => p.nodeId)).toEqual(["b"]);
  });
});
