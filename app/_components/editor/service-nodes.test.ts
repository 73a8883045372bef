import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry, defineAction, definePlugin, type ActionManifest, type FlowNode } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import {
  afterFormChange,
  calledService,
  newNodeConfig,
  nodeForm,
  nodeTitle,
  serviceCaller,
  serviceSlots,
} from "./service-nodes";

const nothing = () => Promise.resolve({});

// Two services of a plugin of our own, beside the real core plugin whose Service action calls them.
const readText = defineAction({
  id: "read-text",
  version: 1,
  title: "Text recognition",
  description: "Reads text.",
  category: "Services",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      minProb: { type: "number", title: "Minimum text probability", default: 0.5 },
      output: { type: "string", default: "text" },
    },
  },
  ui: { minProb: { "ui:widget": "range" } },
  handles: [{ id: "next" }, { id: "objects", fanOut: "objects" }],
  writes: { type: "object" },
  credits: 2,
  service: true,
  run: nothing,
});
const colours = defineAction({
  id: "dominant",
  version: 1,
  title: "Dominant colours",
  description: "Colours.",
  category: "Services",
  config: { type: "object", properties: { count: { type: "integer", default: 5 } } },
  handles: [{ id: "next" }],
  writes: { type: "object" },
  service: true,
  run: nothing,
});
const plainAction = defineAction({
  id: "blur",
  version: 1,
  title: "Blur",
  description: "Not a service.",
  category: "Images",
  config: { type: "object", properties: { radius: { type: "integer", default: 3 } } },
  handles: [{ id: "next" }],
  writes: { type: "object" },
  run: nothing,
});
const acme = definePlugin({ name: "acme", title: "Acme", actions: [readText, colours, plainAction] });

function manifestsOf(registry: ActionRegistry): Map<string, ActionManifest> {
  return new Map(registry.describe().flatMap((plugin) => plugin.actions.map((a) => [a.ref, a] as const)));
}

const manifests = manifestsOf(new ActionRegistry([corePlugin, acme]));
const serviceManifest = manifests.get("core/service@1") as ActionManifest;

function serviceNode(config: Record<string, unknown>, label?: string): FlowNode {
  return {
    id: "s",
    action: "core/service@1",
    config,
    position: { x: 0, y: 0 },
    ...(label ? { label } : {}),
  };
}

describe("service nodes in the editor", () => {
  it("finds the core Service action's service and settings fields from its UI hints", () => {
    expect(serviceSlots(serviceManifest)).toEqual({ serviceField: "action", configField: "config" });
    expect(serviceSlots(manifests.get("core/recognition@1"))).toBeUndefined();
    expect(serviceCaller(manifests)?.ref).toBe("core/service@1");
    expect(serviceCaller(manifestsOf(new ActionRegistry([acme])))).toBeUndefined();
  });

  it("makes a Service node calling the service, with the service's default settings, for a service from the palette", () => {
    expect(newNodeConfig("acme/read-text@1", manifests)).toEqual({
      action: "core/service@1",
      config: { action: "acme/read-text@1", config: { minProb: 0.5, output: "text" }, maxObjects: 10 },
      idPrefix: "read-text",
    });
    expect(newNodeConfig("acme/blur@1", manifests)).toEqual({
      action: "acme/blur@1",
      config: { radius: 3 },
      idPrefix: "blur",
    });
    expect(newNodeConfig("acme/missing@1", manifests)).toBeUndefined();
    // Without an action that calls services, a service cannot be placed.
    expect(newNodeConfig("acme/read-text@1", manifestsOf(new ActionRegistry([acme])))).toBeUndefined();
  });

  it("titles a Service node after its own name, else the service it calls", () => {
    expect(nodeTitle(serviceNode({ action: "acme/read-text@1" }), manifests)).toBe("Text recognition");
    expect(nodeTitle(serviceNode({ action: "acme/read-text@1" }, "Read the label"), manifests)).toBe("Read the label");
    expect(nodeTitle(serviceNode({}), manifests)).toBe("Service");
    // An action that is not a service is not called through a Service node.
    expect(calledService(serviceNode({ action: "acme/blur@1" }), manifests)).toBeUndefined();
    expect(nodeTitle(serviceNode({ action: "acme/gone@1" }), manifests)).toBe("Service");
  });

  it("draws the settings from the chosen service's schema and hints, and hides them until one is chosen", () => {
    const chosen = nodeForm(serviceNode({ action: "acme/read-text@1", config: {} }), serviceManifest, manifests);
    const properties = chosen.schema.properties as Record<string, Record<string, unknown>>;
    expect(properties.config).toMatchObject({
      title: "Text recognition settings",
      additionalProperties: false,
      properties: { minProb: { type: "number", title: "Minimum text probability", default: 0.5 } },
    });
    expect(chosen.ui?.config).toEqual({ minProb: { "ui:widget": "range" } });
    expect(chosen.ui?.action).toEqual({ "ui:widget": "service" });
    expect(Object.keys(properties)).toEqual(["action", "config", "maxObjects"]);
    // The most objects to run on means nothing for a service that returns none.
    const colours = nodeForm(serviceNode({ action: "acme/dominant@1", config: {} }), serviceManifest, manifests);
    expect(Object.keys(colours.schema.properties as object)).toEqual(["action", "config"]);

    const none = nodeForm(serviceNode({}), serviceManifest, manifests);
    expect(Object.keys(none.schema.properties as object)).toEqual(["action", "maxObjects"]);
    expect(none.ui?.config).toBeUndefined();

    const recognition = manifests.get("core/recognition@1") as ActionManifest;
    expect(nodeForm(serviceNode({}), recognition, manifests)).toEqual({
      schema: recognition.config,
      ui: recognition.ui,
    });
  });

  it("leaves out fields for other task types than the chosen task's, keeping their values in the config", () => {
    const recognition = manifests.get("core/recognition@1") as ActionManifest;
    const types: Record<string, string> = { animals: "categorization", colours: "tagging" };
    const node = (task?: string): FlowNode => ({
      id: "r",
      action: "core/recognition@1",
      config: { ...(task ? { task } : {}), output: "x", threshold: 0.5 },
      position: { x: 0, y: 0 },
    });
    const fields = (task?: string) =>
      Object.keys(nodeForm(node(task), recognition, manifests, (id) => types[id]).schema.properties as object);
    expect(fields("animals")).toEqual(["task", "output"]);
    expect(fields("colours")).toEqual(["task", "output", "threshold"]);
    expect(fields()).toEqual(["task", "output"]);
    expect(fields("deleted-task")).toEqual(["task", "output"]);
    expect(node("animals").config.threshold).toBe(0.5);
    const branch = manifests.get("core/branch-selector@1") as ActionManifest;
    const branchNode = { ...node("animals"), action: branch.ref, config: { task: "animals", branches: [] } };
    expect(Object.keys(nodeForm(branchNode, branch, manifests, (id) => types[id]).schema.properties as object)).toEqual(
      ["task", "branches", "threshold", "output"],
    );
  });

  it("starts from the new service's defaults when another service is chosen, and keeps settings otherwise", () => {
    const node = serviceNode({ action: "acme/read-text@1", config: { minProb: 0.9, output: "text" } });
    expect(afterFormChange(node, { ...node.config, action: "acme/dominant@1" }, manifests)).toEqual({
      action: "acme/dominant@1",
      config: { count: 5 },
    });
    const edited = { action: "acme/read-text@1", config: { minProb: 0.7, output: "text" } };
    expect(afterFormChange(node, edited, manifests)).toBe(edited);
    expect(afterFormChange(node, { config: { minProb: 0.9 } }, manifests)).toEqual({ config: {} });
  });
});
