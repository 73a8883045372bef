import corePlugin from "@vizflow/plugin-core";
import { ActionRegistry, type ActionManifest } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { padsWithValues } from "./form-state";
import { defaultsOf, newNodeConfig } from "./service-nodes";

const manifests = new Map<string, ActionManifest>(
  new ActionRegistry([corePlugin]).describe().flatMap((plugin) => plugin.actions.map((a) => [a.ref, a] as const)),
);

function containsNull(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (Array.isArray(value)) return value.some(containsNull);
  if (typeof value === "object") return Object.values(value).some(containsNull);
  return false;
}

describe("settings form defaults", () => {
  it("never put null or undefined into a new node of any core action", () => {
    for (const ref of manifests.keys()) {
      const made = newNodeConfig(ref, manifests);
      expect(made, ref).toBeDefined();
      expect(containsNull(made?.config), `${ref}: ${JSON.stringify(made?.config)}`).toBe(false);
    }
  });

  it("start a Branch Selector with no branches, and keep it empty when its last label is taken away", () => {
    const schema = (manifests.get("core/branch-selector@1") as ActionManifest).config;
    expect(newNodeConfig("core/branch-selector@1", manifests)?.config).toEqual({ branches: [], multiple: false });
    expect(defaultsOf(schema, { task: "t", branches: [] })).toEqual({ task: "t", branches: [], multiple: false });
    expect(defaultsOf(schema, { task: "t", branches: ["cat"] })).toEqual({
      task: "t",
      branches: ["cat"],
      multiple: false,
    });
  });

  it("start a Condition with one test on ==, ready for its field and value", () => {
    expect(newNodeConfig("core/condition@1", manifests)?.config).toEqual({
      conditions: [{ op: "==" }],
      combine: "all",
    });
  });

  it("pad an array up to minItems only with items that have a value of their own", () => {
    expect(padsWithValues({ type: "array", items: { type: "string" } })).toBe(false);
    expect(padsWithValues({ type: "array", items: { type: "string", default: "x" } })).toBe(true);
    expect(padsWithValues({ type: "array", items: { type: "object", properties: {} } })).toBe(true);
    expect(padsWithValues({ type: "array", items: [{ type: "string" }] })).toBe(false);
    expect(padsWithValues({ type: "array" })).toBe(false);
  });
});
