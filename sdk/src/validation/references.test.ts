import { describe, expect, it } from "vitest";

import type { WorkspaceCatalog } from "../catalog.js";
import type { GraphProblem } from "../problems.js";
import { graphOf, INPUT, testCatalog, testRegistry } from "../test-fixtures.js";
import { validateGraph } from "./validate-graph.js";

const registry = testRegistry();

function problemsOf(
  node: [string, Record<string, unknown>, string?],
  catalog: WorkspaceCatalog = testCatalog(),
): GraphProblem[] {
  const [action, config, label] = node;
  const graph = graphOf([INPUT, ["n", action, config, label]], [["in", "next", "n"]]);
  return validateGraph(graph, registry, catalog).problems;
}

describe("validateGraph: references to the workspace", () => {
  it("reports a task that does not exist, at the config pointer", () => {
    expect(problemsOf(["core/classify@2", { task: "ghost" }, "Kind"])).toEqual([
      {
        code: "unknown_task",
        message: '"Kind" uses task "ghost", which does not exist in this workspace; choose another task.',
        fieldMessage: "This task no longer exists; choose another.",
        nodeId: "n",
        path: "/task",
      },
    ]);
  });

  it("reports a task of the wrong type (an Object Selector needs a detection task)", () => {
    const found = problemsOf(["core/objects@1", { task: "cats", maxObjects: 3 }]);
    expect(found).toEqual([expect.objectContaining({ code: "wrong_task_type", path: "/task" })]);
    expect(found[0]!.message).toMatch(/needs a detection task, but "Cats" is a categorization task/);
  });

  it("reports each branch label the task does not have", () => {
    const found = problemsOf(["core/branch@1", { task: "cats", branches: ["cat", "cow", "emu"] }]);
    expect(found.map((p) => [p.code, p.path])).toEqual([
      ["unknown_label", "/branches/1"],
      ["unknown_label", "/branches/2"],
    ]);
    expect(found[0]!.message).toMatch(/label "cow", which task "Cats" does not have \(its labels: "cat", "dog"\)/);
  });

  it("lists the closest few of a task's 1,000 labels and the count, not all of them", () => {
    const labels = Array.from({ length: 997 }, (_, i) => `class ${i}`);
    labels.splice(500, 0, "golden retriever", "Labrador retriever", "flat-coated retriever");
    const base = testCatalog();
    const imagenet = { id: "imagenet", name: "ImageNet", type: "categorization" as const, labels };
    const catalog: WorkspaceCatalog = { ...base, tasks: new Map([...base.tasks, ["imagenet", imagenet]]) };
    const found = problemsOf(["core/branch@1", { task: "imagenet", branches: ["golden retreiver"] }], catalog);
    expect(found).toHaveLength(1);
    const [problem] = found;
    expect(problem!.fieldMessage).toBe(
      'Task "ImageNet" has no label "golden retreiver" (closest of its 1,000 labels: "golden retriever", ' +
        '"Labrador retriever", "flat-coated retriever", "class 0", "class 1"); choose one of its labels.',
    );
    expect(problem!.message.length).toBeLessThan(400);
  });

  it("accepts existing flows by pinned or deployed version", () => {
    expect(problemsOf(["core/nested@1", { flow: "other", version: 1 }])).toEqual([]);
    expect(problemsOf(["core/nested@1", { flow: "other" }])).toEqual([]);
  });

  it("reports an unknown flow, an unknown version and a flow with nothing deployed", () => {
    expect(problemsOf(["core/nested@1", { flow: "ghost" }])).toEqual([
      expect.objectContaining({ code: "unknown_flow", path: "/flow" }),
    ]);
    const [badVersion] = problemsOf(["core/nested@1", { flow: "other", version: 7 }]);
    expect(badVersion).toEqual(expect.objectContaining({ code: "unknown_flow_version" }));
    expect(badVersion!.message).toMatch(/version 7 of flow "Other", which has only versions 1, 2/);
    const [notDeployed] = problemsOf(["core/nested@1", { flow: "draft", version: "deployed" }]);
    expect(notDeployed!.message).toMatch(/no version of it is deployed/);
  });

  it("reports a flow nesting itself directly", () => {
    expect(problemsOf(["core/nested@1", { flow: "main" }])).toEqual([
      expect.objectContaining({ code: "nested_flow_recursion", message: expect.stringMatching(/this same flow/) }),
    ]);
  });

  it("reports a flow that leads back to this one through other flows, showing the chain", () => {
    const base = testCatalog();
    const flows = new Map(base.flows);
    flows.set("a", { id: "a", name: "A", versions: [1], deployedVersion: 1, nestedFlowIds: ["other", "b"] });
    flows.set("b", { id: "b", name: "B", versions: [1], deployedVersion: 1, nestedFlowIds: ["main"] });
    const found = problemsOf(["core/nested@1", { flow: "a" }], { ...base, flows });
    expect(found).toEqual([expect.objectContaining({ code: "nested_flow_recursion", path: "/flow" })]);
    expect(found[0]!.message).toMatch(/this flow → "A" → "B" → this flow/);
  });

  it("reports a nested flow caught in a loop of other flows", () => {
    const base = testCatalog();
    const flows = new Map(base.flows);
    flows.set("a", { id: "a", name: "A", versions: [1], deployedVersion: 1, nestedFlowIds: ["b"] });
    flows.set("b", { id: "b", name: "B", versions: [1], deployedVersion: 1, nestedFlowIds: ["a"] });
    const found = problemsOf(["core/nested@1", { flow: "a" }], { ...base, flows });
    expect(found[0]!.message).toMatch(/"A" → "B" → "A"/);
  });

  it("reports a service no plugin provides and an action that is not a service", () => {
    expect(problemsOf(["core/service@1", { service: "ocr/read-text@9" }])).toEqual([
      expect.objectContaining({ code: "unknown_service", path: "/service" }),
    ]);
    const [notService] = problemsOf(["core/service@1", { service: "core/classify@2" }]);
    expect(notService).toEqual(expect.objectContaining({ code: "unknown_service" }));
    expect(notService!.message).toMatch(/an action, not a service/);
  });

  it("checks the config passed to a service against the service's schema", () => {
    expect(problemsOf(["core/service@1", { service: "ocr/read-text@1", config: { lang: "en" } }])).toEqual([]);
    expect(problemsOf(["core/service@1", { service: "ocr/read-text@1", config: { lang: "fr" } }])).toEqual([
      expect.objectContaining({
        code: "invalid_config",
        path: "/config/lang",
        message: 'Service node "n", setting "config/lang": choose one of "en", "de".',
        fieldMessage: 'Choose one of "en", "de".',
      }),
    ]);
  });
});
