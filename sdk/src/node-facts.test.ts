import { describe, expect, it } from "vitest";

import { defineAction, definePlugin, type ActionOutput } from "./action.js";
import { requireFacts } from "./node-facts.js";
import { ActionRegistry } from "./registry.js";

const nothing = (): Promise<ActionOutput> => Promise.resolve({});

// A caller like the core Service action: its own field, a next and an objects handle.
const caller = defineAction<{ service: string; config?: Record<string, unknown> }>({
  id: "service",
  version: 1,
  title: "Service",
  description: "Calls a service",
  category: "Services",
  config: { type: "object" },
  handles: [{ id: "next" }, { id: "objects", fanOut: "objects" }],
  writes: { type: "object", properties: { called: { type: "boolean" } } },
  references: (config) => [{ kind: "service", action: config.service, path: "/service", config: config.config ?? {} }],
  run: nothing,
});
const findText = defineAction<{ output?: string }>({
  id: "find-text",
  version: 1,
  title: "Find text",
  description: "Lines of text as objects",
  category: "Services",
  config: { type: "object" },
  handles: [{ id: "next" }, { id: "objects", fanOut: "objects" }],
  writes: (config) => ({ type: "object", properties: { [config.output ?? "text"]: { type: "string" } } }),
  objectFields: { type: "object", properties: { text: { type: "string" } } },
  service: true,
  run: nothing,
});
const measure = defineAction({
  id: "measure",
  version: 1,
  title: "Measure",
  description: "Numbers, no objects",
  category: "Services",
  config: { type: "object" },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: { sharpness: { type: "number" } } },
  service: true,
  run: nothing,
});
const plain = defineAction({
  id: "plain",
  version: 1,
  title: "Plain",
  description: "Not a service",
  category: "Models",
  config: { type: "object" },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: { plain: { type: "string" } } },
  run: nothing,
});

const registry = new ActionRegistry([
  definePlugin({ name: "core", title: "Core", actions: [caller] }),
  definePlugin({ name: "svc", title: "Services", actions: [findText, measure, plain] }),
]);

function factsOfCall(service: string, config?: Record<string, unknown>) {
  return requireFacts(registry, {
    id: "n",
    action: "core/service@1",
    config: { service, ...(config ? { config } : {}) },
    position: { x: 0, y: 0 },
  });
}

describe("facts of a node that calls a service", () => {
  it("writes what the service writes for the config passed to it, besides its own fields", () => {
    expect(Object.keys(factsOfCall("svc/find-text@1", { output: "words" }).writes.properties as object)).toEqual([
      "called",
      "words",
    ]);
    expect(Object.keys(factsOfCall("svc/measure@1").writes.properties as object)).toEqual(["called", "sharpness"]);
  });

  it("carries the fields of the objects its service returns", () => {
    expect(factsOfCall("svc/find-text@1").objectFields).toEqual({
      type: "object",
      properties: { text: { type: "string" } },
    });
    expect(factsOfCall("svc/measure@1").objectFields).toBeUndefined();
  });

  it("keeps its objects handle only for a service that returns objects", () => {
    expect(factsOfCall("svc/find-text@1").handles.map((h) => h.id)).toEqual(["next", "objects"]);
    expect(factsOfCall("svc/measure@1").handles.map((h) => h.id)).toEqual(["next"]);
  });

  it("is left as declared when the service is missing or is not a service", () => {
    for (const ref of ["svc/gone@1", "svc/plain@1"]) {
      const facts = factsOfCall(ref);
      expect(facts.handles.map((h) => h.id)).toEqual(["next", "objects"]);
      expect(Object.keys(facts.writes.properties as object)).toEqual(["called"]);
    }
  });
});
