import { GraphValidationError } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";

import { FlowEngine } from "./engine.js";
import { compilePlan } from "./plan.js";
import {
  categorizes,
  detects,
  FakeRuntime,
  fakeWorkspace,
  graph,
  records,
  testRegistry,
  type FakeFlow,
} from "./test-support.js";

const tasks = {
  pets: { type: "detection" as const, labels: ["dog"] },
  animal: { type: "categorization" as const, labels: ["cat", "dog"] },
  breed: { type: "categorization" as const, labels: ["husky"] },
};

function setup(flows: FakeFlow[] = [], animal = "cat") {
  const runtime = new FakeRuntime({
    pets: detects([
      { name: "dog", prob: 0.9, bound_box: [0, 0, 10, 10] },
      { name: "dog", prob: 0.8, bound_box: [10, 10, 20, 20] },
    ]),
    animal: categorizes(animal),
    breed: categorizes("husky"),
  });
  const engine = new FlowEngine({ registry: testRegistry(), runtime });
  return { engine, workspace: fakeWorkspace({ tasks, flows }) };
}

/** Object Selector (≤ 3 objects) × Recognition, beside a Branch Selector: cat → 1 recognition, dog → 2. */
const meteredFlow = graph(
  [
    ["sel", "core/object-selector@1", { task: "pets", maxObjects: 3 }],
    ["per-object", "core/recognition@1", { task: "breed", output: "breed" }],
    ["branch", "core/branch-selector@1", { task: "animal", branches: ["cat", "dog"] }],
    ["cat", "core/recognition@1", { task: "breed", output: "cat_breed" }],
    ["dog1", "core/recognition@1", { task: "breed", output: "dog_breed" }],
    ["dog2", "core/recognition@1", { task: "breed", output: "dog_breed_again" }],
    ["svc", "core/service@1", { action: "acme/blur@1" }],
  ],
  [
    ["in", "next", "sel"],
    ["sel", "objects", "per-object"],
    ["in", "next", "branch"],
    ["branch", "branch:cat", "cat"],
    ["branch", "branch:dog", "dog1"],
    ["branch", "branch:dog", "dog2"],
    ["in", "next", "svc"],
  ],
);

describe("credits", () => {
  it("computes the worst case from declared credits, max objects and the most expensive exclusive branch", async () => {
    const { engine, workspace } = setup();
    const prepared = await engine.prepare(workspace, { graph: meteredFlow });
    // selector 1 + 3 objects × 1, branch selector 1 + max(cat 1, dog 2), blur service 3.
    expect(prepared.worstCaseCredits).toBe(1 + 3 + 1 + 2 + 3);
  });

  it("counts what actually ran: per object, only the branch taken, the service's own credits", async () => {
    const cat = setup([], "cat");
    const catRun = await cat.engine.run(cat.workspace, { graph: meteredFlow }, records([50, 50]));
    expect(catRun.statistics.credits).toBe(1 + 2 + 1 + 1 + 3);
    const dog = setup([], "dog");
    const dogRun = await dog.engine.run(dog.workspace, { graph: meteredFlow }, records([50, 50], [50, 50]));
    expect(dogRun.statistics.credits).toBe(2 * (1 + 2 + 1 + 2 + 3));
  });

  it("adds a nested flow's worst case and actual credits", async () => {
    const inner = graph(
      [
        ["a", "core/recognition@1", { task: "breed", output: "a" }],
        ["b", "core/recognition@1", { task: "breed", output: "b" }],
      ],
      [
        ["in", "next", "a"],
        ["in", "next", "b"],
      ],
    );
    const { engine, workspace } = setup([{ id: "inner", versions: { 1: inner } }]);
    const flow = graph([["n", "core/nested-flow@1", { flow: "inner", version: 1 }]], [["in", "next", "n"]]);
    const prepared = await engine.prepare(workspace, { graph: flow });
    expect(prepared.worstCaseCredits).toBe(2);
    expect((await engine.process(workspace, prepared, records([5, 5]))).statistics.credits).toBe(2);
  });
});

describe("plans", () => {
  it("loads, validates and compiles a saved version once, per workspace", async () => {
    const saved = graph([["rec", "core/recognition@1", { task: "breed", output: "breed" }]], [["in", "next", "rec"]]);
    const { engine } = setup();
    const mine = fakeWorkspace({ id: "mine", tasks, flows: [{ id: "f", versions: { 1: saved }, deployed: 1 }] });
    const first = await engine.prepare(mine, { flowId: "f", version: 1 });
    const second = await engine.prepare(mine, { flowId: "f", version: "deployed" });
    expect(second.plan).toBe(first.plan);
    expect(second.version).toBe(1);
    expect(mine.loads).toBe(1);
    // Another workspace never gets this workspace's cached plan, even for the same flow id.
    const theirs = fakeWorkspace({ id: "theirs", tasks });
    await expect(engine.prepare(theirs, { flowId: "f", version: 1 })).rejects.toThrow("flow f has no version 1");
  });

  it("refuses a graph that does not validate, with every problem", async () => {
    const { engine, workspace } = setup();
    const broken = graph(
      [
        ["rec", "core/recognition@1", { task: "missing", output: "x" }],
        ["what", "acme/unknown@1", {}],
      ],
      [
        ["in", "next", "rec"],
        ["in", "next", "what"],
      ],
    );
    const error = await engine.prepare(workspace, { graph: broken }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(GraphValidationError);
    expect((error as GraphValidationError).problems.map((p) => p.code).sort()).toEqual([
      "unknown_action",
      "unknown_task",
    ]);
  });

  it("orders each handle's children by edge order, then document order", () => {
    const flow = graph(
      [
        ["list", "core/list@1", { mode: "sequence" }],
        ["c", "acme/set@1", { field: "c", value: 1 }],
        ["a", "acme/set@1", { field: "a", value: 1 }],
        ["b", "acme/set@1", { field: "b", value: 1 }],
      ],
      [
        ["in", "next", "list"],
        ["list", "next", "c"],
        ["list", "next", "a", 1],
        ["list", "next", "b", 2],
      ],
    );
    const plan = compilePlan(flow, testRegistry(), { defaultTimeoutMs: 1000 });
    const list = plan.nodes.get("list");
    expect(list?.sequential).toBe(true);
    expect(list?.handles.get("next")?.children.map((c) => c.id)).toEqual(["a", "b", "c"]);
    expect(plan.root.id).toBe("in");
    expect(plan.nodes.get("a")?.timeoutMs).toBe(1000);
  });
});
