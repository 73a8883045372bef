import { describe, expect, it } from "vitest";

import { defineAction, definePlugin } from "../action.js";
import { ActionRegistry } from "../registry.js";
import { graphOf, INPUT, testCatalog, testCore, testRegistry } from "../test-fixtures.js";
import { compileSchema } from "./schema-cache.js";
import { validateGraph } from "./validate-graph.js";

const registry = testRegistry();

describe("validateGraph: actions, configs and handles", () => {
  it("tells an unknown action from an unknown major version and from a malformed id", () => {
    const graph = graphOf(
      [INPUT, ["a", "vision/magic@1"], ["b", "core/classify@3", { task: "cats" }, "Old"], ["c", "Classify!"]],
      [
        ["in", "next", "a"],
        ["in", "next", "b"],
        ["in", "next", "c"],
      ],
    );
    const { problems } = validateGraph(graph, registry, testCatalog());
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ["unknown_action", "a", "/nodes/1/action"],
      ["unknown_action_version", "b", "/nodes/2/action"],
      ["unknown_action", "c", "/nodes/3/action"],
    ]);
    expect(problems[0]!.message).toMatch(/vision\/magic@1, which no enabled plugin provides/);
    expect(problems[1]!.message).toMatch(
      /"Old" uses core\/classify@3, but the installed plugin only provides major version 2/,
    );
    expect(problems[2]!.message).toMatch(/not an action id like core\/recognition@1/);
  });

  it("names a plugin refused at start and its reason where a node uses its action or service", () => {
    const withDisabled = testRegistry();
    withDisabled.disable({
      name: "acme",
      plugin: '"./acme" (enabled in VIZFLOW_PLUGINS)',
      reason: "requires engine ^2, but this is engine 1.0.0",
      decoders: [],
    });
    const graph = graphOf(
      [INPUT, ["a", "acme/detect@1"], ["s", "core/service@1", { service: "acme/stamp@1" }], ["u", "other/x@1"]],
      [
        ["in", "next", "a"],
        ["in", "next", "s"],
        ["in", "next", "u"],
      ],
    );
    const { problems } = validateGraph(graph, withDisabled, testCatalog());
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ["plugin_disabled", "a", "/nodes/1/action"],
      ["unknown_action", "u", "/nodes/3/action"],
      ["plugin_disabled", "s", "/service"],
    ]);
    expect(problems[0]!.message).toBe(
      'Node "a" uses action acme/detect@1 of plugin "acme" ("./acme" (enabled in VIZFLOW_PLUGINS)), which is disabled: requires engine ^2, but this is engine 1.0.0',
    );
    expect(problems[2]!.message).toMatch(
      /calls service acme\/stamp@1 of plugin "acme" .*which is disabled: requires engine \^2/,
    );
  });

  it("says an unknown action may be a disabled plugin's when that plugin's entry never loaded", () => {
    const withDisabled = testRegistry();
    withDisabled.disable({
      plugin: '"./broken" (enabled in vizflow.config.json)',
      reason: "its entry ./index.mjs failed to load: no GPU found",
      decoders: [],
    });
    const graph = graphOf([INPUT, ["u", "broken/x@1"]], [["in", "next", "u"]]);
    const { problems } = validateGraph(graph, withDisabled, testCatalog());
    expect(problems.map((p) => p.code)).toEqual(["unknown_action"]);
    expect(problems[0]!.message).toBe(
      'Node "u" uses action broken/x@1, which no enabled plugin provides; enable its plugin or replace the node. It may belong to plugin "./broken" (enabled in vizflow.config.json), which is disabled: its entry ./index.mjs failed to load: no GPU found.',
    );
  });

  it("reports each config error with the pointer into the config and the node's name", () => {
    const graph = graphOf(
      [
        INPUT,
        ["a", "core/classify@2", { output: "", extra: 1 }],
        ["o", "core/objects@1", { task: "boxes", maxObjects: 0.5 }],
      ],
      [
        ["in", "next", "a"],
        ["in", "next", "o"],
      ],
    );
    const { problems } = validateGraph(graph, registry, testCatalog());
    expect(problems.map((p) => [p.code, p.nodeId, p.path])).toEqual([
      ["invalid_config", "a", "/task"],
      ["invalid_config", "a", "/extra"],
      ["invalid_config", "a", "/output"],
      ["invalid_config", "o", "/maxObjects"],
      ["invalid_config", "o", "/maxObjects"],
    ]);
    // Under the field: what to do; for API callers: the node, the setting, and what to do.
    expect(problems.map((p) => p.fieldMessage)).toEqual([
      "Choose a task.",
      'Remove the setting "extra": there is no such setting here.',
      "Name the output.",
      "Use a whole number.",
      "Use a whole number of at least 1.",
    ]);
    expect(problems[0]!.message).toBe('Classify node "a", setting "task": choose a task.');
    expect(problems[3]!.message).toBe('Object Selector node "o", setting "maxObjects": use a whole number.');
  });

  it("reports an edge through a handle the node lacks, with handles computed from config", () => {
    const graph = graphOf(
      [
        INPUT,
        ["br", "core/branch@1", { task: "cats", branches: ["cat"] }, "Pets"],
        ["x", "core/tag@1", { output: "x" }],
      ],
      [
        ["in", "next", "br"],
        ["br", "branch:dog", "x"],
      ],
    );
    const { problems } = validateGraph(graph, registry, testCatalog());
    expect(problems).toEqual([
      expect.objectContaining({ code: "unknown_handle", nodeId: "br", edgeId: "e1", path: "/edges/1/sourceHandle" }),
    ]);
    expect(problems[0]!.message).toMatch(
      /handle "branch:dog", which "Pets" does not have \(its handles: "branch:cat", "else"\)/,
    );
  });

  it("accepts the handle once the config declares it", () => {
    const graph = graphOf(
      [
        INPUT,
        ["br", "core/branch@1", { task: "cats", branches: ["cat", "dog"] }],
        ["x", "core/tag@1", { output: "x" }],
      ],
      [
        ["in", "next", "br"],
        ["br", "branch:dog", "x"],
      ],
    );
    expect(validateGraph(graph, registry, testCatalog()).ok).toBe(true);
  });

  it("reports a plugin whose computed handles throw as a plugin bug, not a crash", () => {
    const broken = defineAction<{ n: number }>({
      id: "broken",
      version: 1,
      title: "Broken",
      description: "",
      category: "Test",
      config: { type: "object" },
      handles: () => {
        throw new Error("boom");
      },
      writes: { type: "object" },
      run: () => Promise.resolve({}),
    });
    const withBroken = new ActionRegistry([testCore, definePlugin({ name: "bad", title: "Bad", actions: [broken] })]);
    const graph = graphOf([INPUT, ["b", "bad/broken@1"]], [["in", "next", "b"]]);
    const { problems } = validateGraph(graph, withBroken, testCatalog());
    expect(problems).toEqual([
      expect.objectContaining({
        code: "invalid_config",
        nodeId: "b",
        message: expect.stringMatching(/bad\/broken@1 failed.*boom/),
      }),
    ]);
  });

  it("compiles each action's config schema once", () => {
    const schema = registry.get("core/classify@2")!.definition.config;
    const first = compileSchema(schema);
    const graph = graphOf([INPUT, ["a", "core/classify@2", { task: "cats" }]], [["in", "next", "a"]]);
    validateGraph(graph, registry, testCatalog());
    validateGraph(graph, registry, testCatalog());
    expect(compileSchema(schema)).toBe(first);
    expect(compileSchema({ ...schema })).toBe(first);
  });
});
