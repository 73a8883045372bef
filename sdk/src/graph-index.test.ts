import { describe, expect, it } from "vitest";

import { childrenOf, indexGraph, pathFromRoot, reachableFromRoot } from "./graph-index.js";
import { graphOf, INPUT } from "./test-fixtures.js";

describe("indexGraph", () => {
  const graph = graphOf(
    [
      INPUT,
      ["a", "core/list@1"],
      ["b", "core/tag@1"],
      ["c", "core/tag@1"],
      ["d", "core/tag@1"],
      ["loose", "core/tag@1"],
    ],
    [
      ["in", "next", "a"],
      ["a", "next", "c", 2],
      ["a", "next", "d"],
      ["a", "next", "b", 1],
      ["c", "next", "ghost"],
    ],
  );
  const index = indexGraph(graph);

  it("orders children by `order`, edges without one last, and filters by handle", () => {
    expect(childrenOf(index, "a").map((n) => n.id)).toEqual(["b", "c", "d"]);
    expect(childrenOf(index, "a", "else")).toEqual([]);
  });

  it("finds the root, the path down to a node and what the root reaches, ignoring dangling edges", () => {
    expect(index.root?.id).toBe("in");
    expect(pathFromRoot(index, "c").map((e) => e.target)).toEqual(["a", "c"]);
    expect(reachableFromRoot(index).map((n) => n.id)).toEqual(["in", "a", "b", "c", "d"]);
    expect(index.childEdges.get("c")).toBeUndefined();
  });
});
