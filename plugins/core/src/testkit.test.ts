import type { RawImage } from "@vizflow/sdk";
import { fakeModels, runAction } from "@vizflow/sdk/testkit";
import { describe, expect, it } from "vitest";

import { detection } from "./detection.js";
import { objectSelector } from "./object-selector.js";
import { recognition } from "./recognition.js";

const image: RawImage = { data: new Uint8Array(100 * 80 * 3), width: 100, height: 80, channels: 3 };

// A detector that finds one object at [5, 5, 15, 15] of whatever scope it sees, reported in root pixels.
const models = () =>
  fakeModels({
    tasks: {
      things: ({ image: scopeImage }) => ({
        type: "detection",
        result: [{ name: "thing", prob: 0.9, bound_box: scopeImage.toRoot([5, 5, 15, 15]) }],
      }),
      kind: {
        type: "categorization",
        result: { best_label: { name: "a", prob: 1 }, labels: [{ name: "a", prob: 1 }] },
      },
    },
  });

describe("core actions under the SDK test kit (config and output checked against their schemas)", () => {
  it("detects on an object's crop in root-image pixels", async () => {
    const object = { name: "box", prob: 1, bound_box: [40, 30, 80, 70] as [number, number, number, number] };
    const output = await runAction(detection, { image, config: { task: "things" }, object, models: models() });
    expect(output.write).toEqual({ _objects: [{ name: "thing", prob: 0.9, bound_box: [45, 35, 55, 45] }] });
  });

  it("pads selected objects within the crop it runs on", async () => {
    const object = { name: "box", prob: 1, bound_box: [40, 30, 60, 50] as [number, number, number, number] };
    const output = await runAction(objectSelector, {
      image,
      config: { task: "things", padding: 1 },
      object,
      models: models(),
    });
    expect(output.objects).toEqual([{ name: "thing", prob: 0.9, bound_box: [40, 30, 60, 50] }]);
  });

  it("passes the kit's contract checks for a recognition on the record", async () => {
    const fake = models();
    const output = await runAction(recognition, { image, config: { task: "kind", output: "kind" }, models: fake });
    expect(output.write).toEqual({ kind: { best_label: { name: "a", prob: 1 }, labels: [{ name: "a", prob: 1 }] } });
    expect(fake.calls).toEqual([{ kind: "predict", target: "kind", box: [0, 0, 100, 80] }]);
  });
});
