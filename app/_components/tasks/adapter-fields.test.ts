import { describe, expect, it } from "vitest";
import { adapterFromFields, fieldsFromAdapter, scaleText } from "./adapter-fields";
import { ADAPTER_PRESETS } from "./adapter-presets";
import { labelNames } from "@vizflow/sdk";

describe("adapter form fields", () => {
  it("turn every preset back into the same adapter", () => {
    for (const preset of ADAPTER_PRESETS) {
      const result = adapterFromFields(fieldsFromAdapter(preset.adapter));
      expect(result.ok && result.adapter).toEqual(preset.adapter);
    }
  });

  it("show 1/255 as a fraction and read fractions back", () => {
    expect(scaleText(1 / 255)).toBe("1/255");
    expect(scaleText(1)).toBe("1");
    const fields = { ...fieldsFromAdapter(ADAPTER_PRESETS[0]?.adapter ?? ({} as never)), scale: "1/127.5" };
    const result = adapterFromFields(fields);
    expect(result.ok && result.adapter.scale).toBeCloseTo(1 / 127.5);
  });

  it("name the field of each problem", () => {
    const fields = {
      ...fieldsFromAdapter(ADAPTER_PRESETS[2]?.adapter ?? ({} as never)),
      width: "abc",
      mean: "1, x",
      params: "{nope",
      input: " ",
    };
    const result = adapterFromFields(fields);
    expect(result.ok ? {} : result.errors).toEqual({
      input: "Enter the name of the model's image input.",
      width: "Enter a whole number of pixels.",
      mean: "Enter numbers separated by commas.",
      params: expect.stringMatching(/^Not valid JSON/),
    });
  });

  it("keep only the fields the resize mode uses and list output classes", () => {
    const fields = {
      ...fieldsFromAdapter(ADAPTER_PRESETS[2]?.adapter ?? ({} as never)),
      resize: "stretch",
      labels: "a\n\nb\n",
    };
    const result = adapterFromFields(fields);
    expect(result.ok && result.adapter.padValue).toBeUndefined();
    expect(result.ok && result.adapter.labels).toEqual(["a", "b"]);
  });
});

describe("Output classes", () => {
  it("are read as the task's label box reads them: one per line, ids dropped, commas kept", () => {
    const text = "n02123045 tabby, tabby cat\n12: stop sign\nmaillot, tank suit\n";
    const fields = { ...fieldsFromAdapter(ADAPTER_PRESETS[0]?.adapter ?? ({} as never)), labels: text };
    const result = adapterFromFields(fields);
    expect(result.ok && result.adapter.labels).toEqual(["tabby", "stop sign", "maillot, tank suit"]);
    expect(result.ok && result.adapter.labels).toEqual(labelNames(text));
  });
});
