import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry, type ActionManifest, type FlowGraph, type FlowNode } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { sameTaskUpstream } from "./model-reuse";

const manifests = new Map<string, ActionManifest>(
  new ActionRegistry([corePlugin]).describe().flatMap((plugin) => plugin.actions.map((a) => [a.ref, a] as const)),
);

const node = (id: string, action: string, config: Record<string, unknown> = {}): FlowNode => ({
  id,
  action: `core/${action}@1`,
  config,
  position: { x: 0, y: 0 },
});

function chain(...links: [FlowNode, string][]): FlowGraph {
  const nodes = [node("in", "input"), ...links.map(([n]) => n)];
  const edges = links.map(([n, handle], i) => ({
    id: `e${i}`,
    source: nodes[i]?.id ?? "in",
    sourceHandle: handle,
    target: n.id,
  }));
  return { schema: 1, nodes, edges };
}

describe("a model that runs twice", () => {
  it("is found when a selector follows a node running the same task on the same image", () => {
    const graph = chain(
      [node("det", "detection", { task: "coco" }), "next"],
      [node("cond", "condition", { conditions: [] }), "next"],
      [node("sel", "object-selector", { task: "coco" }), "true"],
    );
    expect(sameTaskUpstream(graph, "sel", manifests)?.id).toBe("det");
    expect(sameTaskUpstream(graph, "det", manifests)).toBeUndefined();
    expect(sameTaskUpstream(graph, "cond", manifests)).toBeUndefined();
  });

  it("is not found for another task, or on an object's crop under an Object Selector", () => {
    const other = chain(
      [node("rec", "recognition", { task: "animals", output: "a" }), "next"],
      [node("branch", "branch-selector", { task: "colours", branches: [] }), "next"],
    );
    expect(sameTaskUpstream(other, "branch", manifests)).toBeUndefined();
    const crops = chain(
      [node("sel", "object-selector", { task: "animals" }), "next"],
      [node("branch", "branch-selector", { task: "animals", branches: [] }), "objects"],
    );
    expect(sameTaskUpstream(crops, "branch", manifests)).toBeUndefined();
  });
});
