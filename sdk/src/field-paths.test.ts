import { describe, expect, it } from "vitest";

import { fieldPathsUpstream } from "./field-paths.js";
import { graphOf, INPUT, testRegistry } from "./test-fixtures.js";

const registry = testRegistry();

describe("fieldPathsUpstream", () => {
  it("lists dotted paths with types written by ancestors, nearest writer last", () => {
    const graph = graphOf(
      [
        INPUT,
        ["k", "core/classify@2", { task: "cats", output: "kind" }],
        ["t", "core/tag@1", { output: "color" }],
        ["c", "core/condition@1"],
      ],
      [
        ["in", "next", "k"],
        ["k", "next", "t"],
        ["t", "next", "c"],
      ],
    );
    const fields = fieldPathsUpstream(graph, registry, "c");
    expect(fields.map((f) => [f.path, f.type, f.nodeId])).toEqual([
      ["kind", "object", "k"],
      ["kind.name", "string", "k"],
      ["kind.prob", "number", "k"],
      ["labels", "array", "k"],
      ["color", "string", "t"],
    ]);
    expect(fields.find((f) => f.path === "labels")?.itemType).toBe("object");
    expect(fields[0]?.description).toBe("Best label");
  });

  it("offers only the object's fields (those its selector declares too) and what ran on it below an objects handle", () => {
    const graph = graphOf(
      [
        INPUT,
        ["t", "core/tag@1", { output: "scene" }],
        ["o", "core/objects@1", { task: "boxes", maxObjects: 3 }],
        ["inner", "core/tag@1", { output: "color" }],
        ["c", "core/condition@1"],
      ],
      [
        ["in", "next", "t"],
        ["t", "next", "o"],
        ["o", "objects", "inner"],
        ["inner", "next", "c"],
      ],
    );
    expect(fieldPathsUpstream(graph, registry, "c").map((f) => [f.path, f.type, f.nodeId])).toEqual([
      ["name", "string", "o"],
      ["prob", "number", "o"],
      ["bound_box", "array", "o"],
      ["track_id", "integer", "o"],
      ["color", "string", "inner"],
    ]);
  });

  it("includes what earlier siblings wrote under a List in sequence mode, not later ones or parallel ones", () => {
    const under = (mode: string) =>
      graphOf(
        [
          INPUT,
          ["l", "core/list@1", { mode }],
          ["a", "core/tag@1", { output: "first" }],
          ["a2", "core/tag@1", { output: "first_child" }],
          ["c", "core/condition@1"],
          ["z", "core/tag@1", { output: "last" }],
        ],
        [
          ["in", "next", "l"],
          ["l", "next", "z", 3],
          ["l", "next", "a", 1],
          ["a", "next", "a2"],
          ["l", "next", "c", 2],
        ],
      );
    expect(fieldPathsUpstream(under("sequence"), registry, "c").map((f) => f.path)).toEqual(["first", "first_child"]);
    expect(fieldPathsUpstream(under("parallel"), registry, "c")).toEqual([]);
  });

  it("offers what the service a Service node calls writes, besides the node's own fields", () => {
    const graph = graphOf(
      [
        INPUT,
        ["s", "core/service@1", { service: "ocr/read-text@1", config: { lang: "en" } }],
        ["c", "core/condition@1"],
      ],
      [
        ["in", "next", "s"],
        ["s", "next", "c"],
      ],
    );
    expect(fieldPathsUpstream(graph, registry, "c").map((f) => [f.path, f.type, f.nodeId])).toEqual([
      ["service_result", "object", "s"],
      ["text", "string", "s"],
    ]);
  });

  it("adds nothing for a service no plugin provides", () => {
    const graph = graphOf(
      [INPUT, ["s", "core/service@1", { service: "ocr/read-text@9" }], ["c", "core/condition@1"]],
      [
        ["in", "next", "s"],
        ["s", "next", "c"],
      ],
    );
    expect(fieldPathsUpstream(graph, registry, "c").map((f) => f.path)).toEqual(["service_result"]);
  });
});
