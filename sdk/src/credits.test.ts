import { describe, expect, it } from "vitest";

import { worstCaseCredits } from "./credits.js";
import { graphOf, INPUT, testRegistry } from "./test-fixtures.js";

const registry = testRegistry();
const tag = (id: string) => [id, "core/tag@1", { output: id }] as [string, string, Record<string, unknown>];

describe("worstCaseCredits", () => {
  it("sums a chain and siblings", () => {
    const graph = graphOf(
      [INPUT, tag("a"), tag("b"), tag("c")],
      [
        ["in", "next", "a"],
        ["a", "next", "b"],
        ["in", "next", "c"],
      ],
    );
    expect(worstCaseCredits(graph, registry)).toBe(3);
  });

  it("multiplies an objects handle's subtree by maxObjects", () => {
    const graph = graphOf(
      [INPUT, ["o", "core/objects@1", { task: "boxes", maxObjects: 4 }], tag("a"), tag("b"), tag("c")],
      [
        ["in", "next", "o"],
        ["o", "objects", "a"],
        ["a", "next", "b"],
        ["o", "next", "c"],
      ],
    );
    // selector 1 + 4 objects x (a + b) + c on the record
    expect(worstCaseCredits(graph, registry)).toBe(1 + 4 * 2 + 1);
  });

  it("takes the most expensive of exclusive handles, and sums handles that may all be taken", () => {
    const exclusive = graphOf(
      [INPUT, ["br", "core/branch@1", { task: "cats", branches: ["cat"] }], tag("a"), tag("b"), tag("c")],
      [
        ["in", "next", "br"],
        ["br", "branch:cat", "a"],
        ["a", "next", "b"],
        ["br", "else", "c"],
      ],
    );
    expect(worstCaseCredits(exclusive, registry)).toBe(1 + 2);
    const both = graphOf(
      [INPUT, tag("t"), tag("a"), tag("b")],
      [
        ["in", "next", "t"],
        ["t", "next", "a"],
        ["t", "fork", "b"],
      ],
    );
    expect(worstCaseCredits(both, registry)).toBe(3);
  });

  it("adds a service's credits and a nested flow's worst case", () => {
    const graph = graphOf(
      [
        INPUT,
        ["s", "core/service@1", { service: "ocr/read-text@1" }],
        ["f", "core/nested@1", { flow: "other", version: 2 }],
      ],
      [
        ["in", "next", "s"],
        ["in", "next", "f"],
      ],
    );
    const asked: unknown[] = [];
    const total = worstCaseCredits(graph, registry, (flow) => {
      asked.push(flow);
      return 5;
    });
    expect(total).toBe(2 + 5);
    expect(asked).toEqual([{ id: "other", version: 2 }]);
    expect(() => worstCaseCredits(graph, registry)).toThrow(/runs flow "other": pass nestedWorstCase/);
  });
});
