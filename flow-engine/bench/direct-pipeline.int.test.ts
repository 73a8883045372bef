import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { realModelsDir, REAL_MODELS_MISSING } from "../src/testing/real-models.js";
import { DirectPipeline } from "./direct-pipeline.js";

const dir = realModelsDir();
if (!dir) console.warn(`direct-pipeline.int.test.ts ${REAL_MODELS_MISSING}`);

describe.skipIf(!dir)("the benchmark's direct baseline (YOLOX -> crops -> MobileNetV2 on the JS thread)", () => {
  let pipeline: DirectPipeline | undefined;
  afterAll(() => pipeline?.close());

  it("finds the wolves of imgs/ortex_wolves.jpg and classifies their crops as wolves", async () => {
    pipeline = await DirectPipeline.create(dir as string, { minProb: 0.3, maxObjects: 10 });
    const objects = await pipeline.process(readFileSync(`${dir}imgs/ortex_wolves.jpg`));
    expect(objects.length).toBeGreaterThanOrEqual(2);
    for (const o of objects) expect(o.label).toMatch(/wolf|coyote/);
  });
});
