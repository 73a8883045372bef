import { describe, expect, it } from "vitest";
import { definePlugin, type DecoderDefinition } from "@vizflow/sdk";
import { DecoderRegistry } from "./registry.js";

const constant: DecoderDefinition = {
  id: "constant",
  title: "Always 42",
  params: { type: "object", properties: { value: { type: "number" } }, additionalProperties: false },
  taskTypes: ["regression"],
  decode: () => ({ type: "regression", result: 42 }),
};

describe("DecoderRegistry", () => {
  it("has the built-in decoders and takes plugins' decoders", () => {
    const registry = DecoderRegistry.withPlugins([
      definePlugin({ name: "extra", title: "Extra", actions: [], decoders: [constant] }),
    ]);
    expect(registry.list().map((d) => d.id)).toEqual([
      "softmax",
      "sigmoid",
      "identity",
      "regression",
      "ssd",
      "yolox",
      "fastestdet",
      "constant",
    ]);
    expect(registry.get("constant")).toBe(constant);
    expect(() => registry.add(constant)).toThrow(/registered twice/);
  });

  it("tells an adapter naming a disabled plugin's decoder which plugin it is and why it is off", () => {
    const registry = DecoderRegistry.withPlugins(
      [],
      [
        {
          name: "grid",
          plugin: '"./grid" (enabled in VIZFLOW_PLUGINS)',
          reason: "requires engine ^2",
          decoders: ["grid-boxes"],
        },
      ],
    );
    expect(registry.get("grid-boxes")).toBeUndefined();
    expect(registry.disabledPlugin("grid-boxes")?.name).toBe("grid");
    expect(registry.check("grid-boxes", {}, "detection")).toEqual([
      {
        path: "/decoder/id",
        message:
          'decoder "grid-boxes" is provided by plugin "grid" ("./grid" (enabled in VIZFLOW_PLUGINS)), which is disabled: requires engine ^2',
      },
    ]);
  });

  it("checks params against the decoder's schema and the task type", () => {
    const registry = new DecoderRegistry();
    expect(registry.check("yolox", { threshold: 0.3 }, "detection")).toEqual([]);
    expect(registry.check("yolox", { threshold: 2, bogus: 1 }, "categorization").map((p) => p.path)).toEqual([
      "/decoder/id",
      "/decoder/params",
      "/decoder/params/threshold",
    ]);
    expect(registry.check("nope", {})[0]?.message).toMatch(/unknown decoder "nope" \(known: softmax, sigmoid/);
  });
});
