import { installedPlugins } from "@vizflow/flow-engine";
import {
  validateGraph,
  type ActionRegistry,
  type FlowGraph,
  type TaskSummary,
  type WorkspaceCatalog,
} from "@vizflow/sdk";
import { beforeAll, describe, expect, test } from "vitest";
import { FLOW_TEMPLATES, findTemplate } from "./flow-templates";

let registry: ActionRegistry;
beforeAll(async () => {
  registry = (await installedPlugins()).registry;
});

const tasks: TaskSummary[] = [
  { id: "t-detect", name: "Things", type: "detection", labels: ["cat", "dog"] },
  { id: "t-kind", name: "Kinds", type: "categorization", labels: ["indoor", "outdoor"] },
];
const catalog: WorkspaceCatalog = { tasks: new Map(tasks.map((t) => [t.id, t])), flows: new Map() };

/** The template with its empty task choices filled the way a user would: a task of the type the node takes. */
function chosen(graph: FlowGraph): FlowGraph {
  const copy = structuredClone(graph);
  for (const node of copy.nodes) {
    if (node.config.task !== "") continue;
    const detection = node.action === "core/object-selector@1" || node.action === "core/detection@1";
    node.config.task = detection ? "t-detect" : "t-kind";
    if (node.action === "core/branch-selector@1") node.config.branches = ["indoor"];
  }
  return copy;
}

describe("flow templates", () => {
  test.each(FLOW_TEMPLATES.map((t) => [t.id, t] as const))("%s is valid once its tasks are chosen", (_id, template) => {
    expect(validateGraph(chosen(template.graph), registry, catalog).problems).toEqual([]);
  });

  test("templates that need no task validate as they are; the others ask only for their tasks", () => {
    for (const template of FLOW_TEMPLATES) {
      const problems = validateGraph(template.graph, registry, catalog).problems;
      if (template.toChoose.length === 0) expect(problems, template.id).toEqual([]);
      else {
        expect(problems.length, template.id).toBeGreaterThan(0);
        const needingTask = new Set(template.graph.nodes.filter((n) => n.config.task === "").map((n) => n.id));
        for (const problem of problems) expect(needingTask.has(problem.nodeId ?? ""), problem.message).toBe(true);
      }
    }
  });

  test("the four starters of the issue exist and each is found by id", () => {
    expect(FLOW_TEMPLATES.map((t) => t.id)).toEqual([
      "detect-then-classify",
      "faces-and-expressions",
      "document-ocr",
      "branch-on-category",
    ]);
    expect(findTemplate("document-ocr")?.title).toMatch(/text/);
    expect(findTemplate("nope")).toBeUndefined();
  });
});
