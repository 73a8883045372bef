import { readFileSync } from "node:fs";

import type { DetectedObject } from "@vizflow/sdk";
import { afterAll, describe, expect, it } from "vitest";

import { InMemoryModelStore, ModelRuntime } from "../runtime/index.js";
import { REAL_MODELS_MISSING, realModelsDir, realModelVersions } from "../testing/real-models.js";
import { FlowEngine } from "./engine.js";
import { onnxImageRuntime } from "./onnx-image-runtime.js";
import { fakeWorkspace, graph, testRegistry } from "./test-support.js";

const dir = realModelsDir();
if (!dir) console.warn(REAL_MODELS_MISSING);

describe.skipIf(!dir)("a flow on real models (../shared/models)", () => {
  const versions = dir ? realModelVersions(dir) : undefined;
  const models = new ModelRuntime({ store: new InMemoryModelStore(versions ? Object.values(versions) : []) });
  afterAll(() => models.close());

  it("YOLOX -> Object Selector -> Recognition (MobileNetV2) classifies the animals of ortex_wolves.jpg as wolves", async () => {
    if (!dir || !versions) return;
    const engine = new FlowEngine({ registry: testRegistry(), runtime: onnxImageRuntime({ models }) });
    const workspace = fakeWorkspace({
      tasks: {
        animals: { type: "detection", labels: versions.yolox.labels, model: "yolox" },
        species: { type: "categorization", labels: versions.mobilenetv2.labels, model: "mobilenetv2" },
      },
    });
    const flow = graph(
      [
        ["select", "core/object-selector@1", { task: "animals", minProb: 0.3 }],
        ["classify", "core/recognition@1", { task: "species", output: "species" }],
      ],
      [
        ["in", "next", "select"],
        ["select", "objects", "classify"],
      ],
    );
    const photo = readFileSync(`${dir}imgs/ortex_wolves.jpg`).toString("base64");
    const result = await engine.run(workspace, { graph: flow }, [{ _id: "wolves", _base64: photo }]);
    const [record] = result.records;
    expect(record?._status).toEqual({ code: 200, text: "OK" });
    const animals = record?._objects as DetectedObject[];
    expect(animals.length).toBeGreaterThanOrEqual(2);
    for (const animal of animals) {
      const species = animal.species as { best_label: { name: string } };
      expect(species.best_label.name).toMatch(/wolf|coyote/);
      const [xmin, ymin, xmax, ymax] = animal.bound_box;
      expect(xmin).toBeGreaterThanOrEqual(0);
      expect(ymin).toBeGreaterThanOrEqual(0);
      expect(xmax).toBeLessThanOrEqual(record?._width as number);
      expect(ymax).toBeLessThanOrEqual(record?._height as number);
    }
    expect(result.statistics.credits).toBe(1 + animals.length);
  });
});
