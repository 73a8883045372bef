import type { HandleSpec } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { handleKeys, handlesSettled, nodesWithNewHandles } from "./node-handles";

const handles = (...ids: string[]): HandleSpec[] => ids.map((id) => ({ id }));

describe("nodes whose handles changed", () => {
  it("are those drawn before with other handles now: a label added to a Branch Selector", () => {
    const before = handleKeys(["in", "branch", "cond"], (id) =>
      id === "branch" ? handles("else") : id === "cond" ? handles("true", "false") : handles("next"),
    );
    const after = handleKeys(["in", "branch", "cond", "new"], (id) =>
      id === "branch" ? handles("branch:cat", "else") : id === "cond" ? handles("true", "false") : handles("next"),
    );
    expect(nodesWithNewHandles(before, after)).toEqual(["branch"]);
  });

  it("include a reordered or emptied handle list, and not nodes that just appeared", () => {
    const before = handleKeys(["a", "b"], (id) => (id === "a" ? handles("x", "y") : handles("next")));
    const after = handleKeys(["a", "b", "c"], (id) =>
      id === "a" ? handles("y", "x") : id === "b" ? undefined : handles("next"),
    );
    expect(nodesWithNewHandles(before, after)).toEqual(["a", "b"]);
    expect(nodesWithNewHandles(after, after)).toEqual([]);
  });
});

describe("whether a node's handles are known for its settings", () => {
  const branch = { id: "b", action: "core/branch-selector@1", config: { task: "t", branches: ["cat"] } };
  const checkedWith = (config: Record<string, unknown>) => ({
    schema: 1 as const,
    nodes: [{ ...branch, config, position: { x: 0, y: 0 } }],
    edges: [],
  });

  it("are for static handles, whatever the check saw", () => {
    expect(handlesSettled({ ...branch, action: "core/recognition@1" }, { handles: handles("next") }, undefined)).toBe(
      true,
    );
  });

  it("are for computed handles only once the check saw this very config", () => {
    expect(handlesSettled(branch, {}, checkedWith({ task: "t", branches: ["cat"] }))).toBe(true);
    // The label was picked after the last check: its handle is not among the checked ones yet.
    expect(handlesSettled(branch, {}, checkedWith({ task: "t", branches: [] }))).toBe(false);
    expect(handlesSettled(branch, {}, undefined)).toBe(false);
    expect(handlesSettled({ ...branch, id: "new" }, {}, checkedWith(branch.config))).toBe(false);
  });
});
