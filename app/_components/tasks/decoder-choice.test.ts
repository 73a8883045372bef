import { describe, expect, it } from "vitest";
import { adapterFromFields, fieldsFromAdapter } from "./adapter-fields";
import { ADAPTER_PRESETS } from "./adapter-presets";
import { decodersFor, hasParamFields, paramsOf, withDecoder, withParams, type DecoderChoice } from "./decoder-choice";

const softmax: DecoderChoice = {
  id: "softmax",
  title: "Softmax",
  params: { type: "object", properties: { temperature: { type: "number", default: 1 } } },
  taskTypes: ["categorization"],
};
// A plugin's decoder, as modelVersion.form lists it beside the built-in ones.
const gridBoxes: DecoderChoice = {
  id: "grid-boxes",
  title: "Grid boxes",
  params: {
    type: "object",
    properties: {
      threshold: { type: "number", minimum: 0, maximum: 1, default: 0.4 },
      cells: { type: "integer", default: 7 },
      anchors: { type: "string" },
    },
    required: ["threshold"],
  },
  taskTypes: ["detection", "tagging"],
};
const bare: DecoderChoice = { id: "raw", title: "Raw", params: { type: "object" }, taskTypes: ["detection"] };

function detectionFields() {
  const preset = ADAPTER_PRESETS.find((p) => p.taskTypes.includes("detection"));
  if (!preset) throw new Error("no detection preset");
  return fieldsFromAdapter(preset.adapter);
}

describe("the upload dialog's decoder choice", () => {
  it("offers the decoders of the task's type, plugin ones included", () => {
    const all = [softmax, gridBoxes, bare];
    expect(decodersFor(all, "detection").map((d) => d.id)).toEqual(["grid-boxes", "raw"]);
    expect(decodersFor(all, "categorization").map((d) => d.id)).toEqual(["softmax"]);
    expect(decodersFor(all, "regression")).toEqual([]);
  });

  it("shows a params form only for a schema with properties", () => {
    expect(hasParamFields(gridBoxes)).toBe(true);
    expect(hasParamFields(bare)).toBe(false);
  });

  it("starts a newly chosen decoder's params from its schema's defaults, and they reach the adapter", () => {
    const fields = withDecoder(detectionFields(), "grid-boxes", [softmax, gridBoxes]);
    expect(fields.decoder).toBe("grid-boxes");
    expect(paramsOf(fields.params)).toEqual({ threshold: 0.4, cells: 7 });
    const result = adapterFromFields(fields);
    expect(result.ok && result.adapter.decoder).toEqual({ id: "grid-boxes", params: { threshold: 0.4, cells: 7 } });
  });

  it("starts no array or object without a default of its own (no null entries the schema would refuse)", () => {
    const anchored: DecoderChoice = {
      id: "anchored",
      title: "Anchored",
      params: {
        type: "object",
        properties: {
          threshold: { type: "number", default: 0.5 },
          priors: {
            type: "object",
            properties: { strides: { type: "array", items: { type: "number" }, minItems: 1 } },
          },
        },
      },
      taskTypes: ["detection"],
    };
    expect(paramsOf(withDecoder(detectionFields(), "anchored", [anchored]).params)).toEqual({ threshold: 0.5 });
  });

  it("keeps the params when the same decoder is chosen again, and empties them for an unlisted one", () => {
    const edited = withParams(withDecoder(detectionFields(), "grid-boxes", [gridBoxes]), { threshold: 0.9 });
    expect(withDecoder(edited, "grid-boxes", [gridBoxes])).toBe(edited);
    expect(paramsOf(withDecoder(edited, "gone", [gridBoxes]).params)).toEqual({});
  });

  it("reads the params form's state from the JSON text only while it is a JSON object", () => {
    expect(paramsOf('{"threshold": 0.5}')).toEqual({ threshold: 0.5 });
    expect(paramsOf("  ")).toEqual({});
    expect(paramsOf("{nope")).toBeUndefined();
    expect(paramsOf("[1]")).toBeUndefined();
    expect(paramsOf("null")).toBeUndefined();
  });
});
