import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { callerFor, createTestServices, signUp, type TestServices, type TestUser } from "../testing";

let services: TestServices;
let user: TestUser;

beforeAll(async () => {
  services = await createTestServices();
  user = await signUp(services, "Editor");
});
afterAll(() => services.close());

describe("plugin router", () => {
  test("describe lists the enabled plugins with package, version and their actions' manifests", async () => {
    const plugins = await user.caller.plugin.describe();
    const core = plugins.find((p) => p.name === "core");
    expect(core).toMatchObject({ packageName: "@vizflow/plugin-core", builtin: true, engine: "^1" });
    const input = core?.actions.find((a) => a.ref === "core/input@1");
    expect(input).toMatchObject({ title: expect.any(String), handles: [{ id: "next" }], service: false });
    // Branch Selector's handles depend on its config: describe leaves them to nodeFacts.
    expect(core?.actions.find((a) => a.ref === "core/branch-selector@1")?.handles).toBeUndefined();
  });

  test("describe lists the built-in services with credits and their output for the default config", async () => {
    const plugins = await user.caller.plugin.describe();
    const services = plugins.flatMap((p) => p.actions.filter((a) => a.service).map((a) => [a.ref, a.credits]));
    expect(services).toEqual(
      expect.arrayContaining([
        ["ocr/read-text@1", 2],
        ["faces/detect@1", 1],
        ["faces/expression@1", 1],
        ["colors/dominant@1", 1],
        ["quality/measure@1", 1],
      ]),
    );
    const quality = plugins.find((p) => p.name === "quality")?.actions[0];
    expect(quality?.withDefaultConfig?.writes).toMatchObject({
      properties: { quality: { properties: { sharpness: { type: "number" } } } },
    });
    expect(plugins.find((p) => p.name === "quality")).toMatchObject({
      packageName: "@vizflow/plugin-image-quality",
      version: "1.0.0",
    });
  });

  test("nodeFacts computes the handles of a config", async () => {
    const facts = await user.caller.plugin.nodeFacts({
      action: "core/branch-selector@1",
      config: { task: "pets", branches: ["cat", "dog"] },
    });
    expect(facts.handles.map((h) => h.id)).toEqual(["branch:cat", "branch:dog", "else"]);
    expect(facts.credits).toBe(1);
  });

  test("nodeFacts names an action no plugin provides", async () => {
    const error = await user.caller.plugin.nodeFacts({ action: "ocr/nothing@9", config: {} }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TRPCError);
    expect((error as TRPCError).message).toBe("No enabled plugin provides the action ocr/nothing@9.");
  });

  test("describe needs a signed-in user", async () => {
    const anonymous = await callerFor(services);
    await expect(anonymous.plugin.describe()).rejects.toThrow("Sign in to continue.");
  });
});
