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
