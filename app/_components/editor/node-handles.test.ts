import type { HandleSpec } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { handleKeys, nodesWithNewHandles } from "./node-handles";

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
