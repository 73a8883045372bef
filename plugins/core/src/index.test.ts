import { ActionRegistry, compileSchema, INPUT_ACTION } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";

import corePlugin from "./index.js";

describe("core plugin", () => {
  it("provides every core action at major 1 under the core namespace", () => {
    const registry = new ActionRegistry([corePlugin]);
    expect([...registry.actions()].map((a) => a.ref).sort()).toEqual([
      "core/branch-selector@1",
      "core/condition@1",
      "core/detection@1",
      "core/input@1",
      "core/list@1",
      "core/nested-flow@1",
      "core/object-selector@1",
      "core/recognition@1",
      "core/service@1",
    ]);
    expect(registry.get(INPUT_ACTION)?.plugin).toBe("core");
  });

  it("has config schemas that compile", () => {
    for (const action of corePlugin.actions) {
      expect(compileSchema(action.config), action.id).toMatchObject({ ok: true });
    }
  });

  it("describes itself as JSON for the editor", () => {
    const [manifest] = new ActionRegistry([corePlugin]).describe();
    expect(JSON.parse(JSON.stringify(manifest))).toEqual(manifest);
    expect(manifest?.actions.find((a) => a.id === "detection")?.credits).toBe(1);
  });
});
