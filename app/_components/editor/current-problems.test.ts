import type { FlowGraph, GraphProblem } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { currentProblems } from "./current-problems";

function graphWith(config: Record<string, unknown>, extra: FlowGraph["nodes"] = []): FlowGraph {
  return {
    schema: 1,
    nodes: [{ id: "b", action: "core/branch-selector@1", config, position: { x: 0, y: 0 } }, ...extra],
    edges: [],
  };
}

const problem = (path: string | undefined, nodeId = "b"): GraphProblem => ({
  code: "invalid_config",
  message: `problem at ${path}`,
  nodeId,
  ...(path === undefined ? {} : { path }),
});

describe("the draft's problems shown while a newer check is on its way", () => {
  const checked = graphWith({ branches: [], output: "" });
  const problems = [problem("/task"), problem("/branches"), problem("/output"), problem(undefined)];

  it("drop those of settings edited since the check, keep the rest", () => {
    const now = graphWith({ task: "imagenet", branches: ["Irish wolfhound"], output: "" });
    expect(currentProblems(problems, checked, now).map((p) => p.path)).toEqual(["/output", undefined]);
  });

  it("keep every problem of the graph the check saw", () => {
    expect(currentProblems(problems, checked, checked)).toHaveLength(4);
  });

  it("drop a deleted node's problems and read nested paths", () => {
    const withCondition = graphWith({ branches: [] }, [
      { id: "c", action: "core/condition@1", config: { conditions: [{ value: "a" }] }, position: { x: 0, y: 0 } },
    ]);
    const edited = graphWith({ branches: [] }, [
      { id: "c", action: "core/condition@1", config: { conditions: [{ value: "b" }] }, position: { x: 0, y: 0 } },
    ]);
    const nested = [problem("/conditions/0/value", "c"), problem("/conditions/0/field", "c")];
    expect(currentProblems(nested, withCondition, edited).map((p) => p.path)).toEqual(["/conditions/0/field"]);
    expect(currentProblems(nested, withCondition, graphWith({ branches: [] }))).toEqual([]);
  });
});
