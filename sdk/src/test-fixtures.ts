/**
 * Compact test-only plugins covering every kind of action the validator treats differently.
 * Used by the SDK's own unit tests; not exported from the package.
 */
import { defineAction, definePlugin, type ActionOutput } from "./action.js";
import type { WorkspaceCatalog } from "./catalog.js";
import type { FlowEdge, FlowGraph, FlowNode } from "./graph.js";
import { ActionRegistry } from "./registry.js";

const nothing = (): Promise<ActionOutput> => Promise.resolve({});
const labelProb = { type: "object", properties: { name: { type: "string" }, prob: { type: "number" } } };

const input = defineAction({
  id: "input",
  version: 1,
  title: "Input",
  description: "The incoming record",
  category: "Flow control",
  config: { type: "object" },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: {} },
  run: nothing,
});

type ClassifyConfig = { task: string; output?: string };
const classifyConfig = {
  type: "object",
  required: ["task"],
  additionalProperties: false,
  properties: { task: { type: "string" }, output: { type: "string", minLength: 1 } },
};
const classify = defineAction<ClassifyConfig>({
  id: "classify",
  version: 2,
  title: "Classify",
  description: "Runs a categorization task",
  category: "Models",
  config: classifyConfig,
  handles: [{ id: "next" }],
  writes: (config) => ({
    type: "object",
    properties: {
      [config.output ?? "best_label"]: { ...labelProb, description: "Best label" },
      labels: { type: "array", items: labelProb },
    },
  }),
  credits: 1,
  references: (config) => [{ kind: "task", id: config.task, path: "/task", types: ["categorization", "tagging"] }],
  migrations: [
    {
      from: 1,
      migrate: ({ model, ...rest }) => ({ ...rest, task: model }),
    },
  ],
  run: nothing,
});

type BranchConfig = { task: string; branches: string[] };
const branch = defineAction<BranchConfig>({
  id: "branch",
  version: 1,
  title: "Branch Selector",
  description: "Routes by label",
  category: "Flow control",
  config: {
    type: "object",
    required: ["task", "branches"],
    properties: { task: { type: "string" }, branches: { type: "array", items: { type: "string" } } },
  },
  handles: (config) => [...config.branches.map((label) => ({ id: `branch:${label}` })), { id: "else" }],
  exclusiveHandles: true,
  writes: { type: "object", properties: { branch: { type: "string" } } },
  credits: 1,
  references: (config) => [
    {
      kind: "task",
      id: config.task,
      path: "/task",
      types: ["categorization"],
      labels: config.branches.map((name, i) => ({ name, path: `/branches/${i}` })),
    },
  ],
  run: nothing,
});

type TagConfig = { output: string };
/** A model-less action writing one configurable field; `fork` also has a second, non-exclusive handle. */
const tag = defineAction<TagConfig>({
  id: "tag",
  version: 1,
  title: "Tag",
  description: "Writes one field",
  category: "Test",
  config: { type: "object", required: ["output"], properties: { output: { type: "string" } } },
  handles: [{ id: "next" }, { id: "fork" }],
  writes: (config) => ({ type: "object", properties: { [config.output]: { type: "string" } } }),
  credits: 1,
  run: nothing,
});

type ObjectsConfig = { task: string; maxObjects: number };
const objects = defineAction<ObjectsConfig>({
  id: "objects",
  version: 1,
  title: "Object Selector",
  description: "Runs children per detected object",
  category: "Models",
  config: {
    type: "object",
    required: ["task", "maxObjects"],
    properties: { task: { type: "string" }, maxObjects: { type: "integer", minimum: 1 } },
  },
  handles: [{ id: "objects", fanOut: "objects" }, { id: "next" }],
  writes: { type: "object", properties: { _objects: { type: "array" } } },
  objectFields: { type: "object", properties: { track_id: { type: "integer" } } },
  credits: 1,
  maxObjects: (config) => config.maxObjects,
  references: (config) => [{ kind: "task", id: config.task, path: "/task", types: ["detection"] }],
  run: nothing,
});

const list = defineAction<{ mode: "sequence" | "parallel" }>({
  id: "list",
  version: 1,
  title: "List",
  description: "Groups children",
  category: "Flow control",
  config: {
    type: "object",
    required: ["mode"],
    properties: { mode: { enum: ["sequence", "parallel"] } },
  },
  handles: [{ id: "next" }],
  sequential: (config) => config.mode === "sequence",
  writes: { type: "object", properties: {} },
  run: nothing,
});

const condition = defineAction({
  id: "condition",
  version: 1,
  title: "Condition",
  description: "True or false",
  category: "Flow control",
  config: { type: "object" },
  handles: [{ id: "true" }, { id: "false" }],
  exclusiveHandles: true,
  writes: { type: "object", properties: {} },
  run: nothing,
});

type ServiceConfig = { service: string; config?: Record<string, unknown> };
const service = defineAction<ServiceConfig>({
  id: "service",
  version: 1,
  title: "Service",
  description: "Calls a service",
  category: "Services",
  config: {
    type: "object",
    required: ["service"],
    properties: { service: { type: "string" }, config: { type: "object" } },
  },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: { service_result: { type: "object" } } },
  references: (config) => [
    {
      kind: "service",
      action: config.service,
      path: "/service",
      ...(config.config ? { config: config.config, configPath: "/config" } : {}),
    },
  ],
  run: nothing,
});

type NestedConfig = { flow: string; version?: number | "deployed" };
const nested = defineAction<NestedConfig>({
  id: "nested",
  version: 1,
  title: "Nested Flow",
  description: "Runs another flow",
  category: "Flow control",
  config: {
    type: "object",
    required: ["flow"],
    properties: { flow: { type: "string" }, version: { anyOf: [{ type: "integer" }, { const: "deployed" }] } },
  },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: {} },
  references: (config) => [
    {
      kind: "flow",
      id: config.flow,
      path: "/flow",
      ...(config.version === undefined ? {} : { version: config.version }),
    },
  ],
  run: nothing,
});

export const testCore = definePlugin({
  name: "core",
  title: "Core (test)",
  actions: [input, classify, branch, tag, objects, list, condition, service, nested],
});

const readText = defineAction<{ lang: "en" | "de" }>({
  id: "read-text",
  version: 1,
  title: "Read text",
  description: "OCR",
  category: "Services",
  config: { type: "object", required: ["lang"], properties: { lang: { enum: ["en", "de"] } } },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: { text: { type: "string" } } },
  credits: 2,
  service: true,
  run: nothing,
});

export const testOcr = definePlugin({ name: "ocr", title: "OCR (test)", actions: [readText] });

export function testRegistry(): ActionRegistry {
  return new ActionRegistry([testCore, testOcr]);
}

export function testCatalog(overrides: Partial<WorkspaceCatalog> = {}): WorkspaceCatalog {
  return {
    tasks: new Map([
      ["cats", { id: "cats", name: "Cats", type: "categorization", labels: ["cat", "dog"] }],
      ["boxes", { id: "boxes", name: "Boxes", type: "detection", labels: ["person", "car"] }],
    ]),
    flows: new Map([
      ["other", { id: "other", name: "Other", versions: [1, 2], deployedVersion: 2, nestedFlowIds: [] }],
      ["draft", { id: "draft", name: "Draft", versions: [1], nestedFlowIds: [] }],
    ]),
    currentFlowId: "main",
    ...overrides,
  };
}

export type NodeSpec = [id: string, action: string, config?: Record<string, unknown>, label?: string];
export type EdgeSpec = [source: string, handle: string, target: string, order?: number];

/** Builds a graph from terse specs: `[id, "core/tag@1", {output: "a"}]`, `["in", "next", "a"]`. */
export function graphOf(nodes: readonly NodeSpec[], edges: readonly EdgeSpec[]): FlowGraph {
  return {
    schema: 1,
    nodes: nodes.map(([id, action, config = {}, label]): FlowNode => ({
      id,
      action,
      config,
      position: { x: 0, y: 0 },
      ...(label === undefined ? {} : { label }),
    })),
    edges: edges.map(([source, sourceHandle, target, order], i): FlowEdge => ({
      id: `e${i}`,
      source,
      sourceHandle,
      target,
      ...(order === undefined ? {} : { order }),
    })),
  };
}

export const INPUT: NodeSpec = ["in", "core/input@1"];
