import { existsSync, readFileSync } from "node:fs";

import type { DetectedObject } from "@vizflow/sdk";
import { runAction } from "@vizflow/sdk/testkit";
import sharp from "sharp";
import { describe, expect, it } from "vitest";

import plugin, { detectFaces, expression, iou } from "./index.js";
import { onnxModels } from "./onnx-models.js";

const GROUP = "../shared/models/ultraface/imgs/2.jpg";
const HAPPY = "../shared/models/imgs/onnxjsdemo_happy.jpg";
const ANGRY = "../shared/models/imgs/onnxjsdemo_angry_man.jpg";
const photos = [GROUP, HAPPY, ANGRY].every((p) => existsSync(p));
const skipReason = `needs the photos of ../shared/models (${GROUP}, ${HAPPY}, ${ANGRY})`;

describe("face detection", () => {
  it.skipIf(!photos)(
    `finds the 4 faces in ultraface/imgs/2.jpg (${skipReason})`,
    async () => {
      const image = readFileSync(GROUP);
      const { width = 0, height = 0 } = await sharp(image).metadata();
      const output = await runAction(detectFaces, { image, config: {}, models: onnxModels() });
      const faces = output.objects ?? [];
      expect(faces).toHaveLength(4);
      expect(output.write).toEqual({ face_count: 4 });
      for (const face of faces) {
        expect(face.name).toBe("face");
        expect(face.prob).toBeGreaterThan(0.7);
        const [x0, y0, x1, y1] = face.bound_box;
        expect(x0).toBeGreaterThanOrEqual(0);
        expect(y0).toBeGreaterThanOrEqual(0);
        expect(x1).toBeLessThanOrEqual(width);
        expect(y1).toBeLessThanOrEqual(height);
        // Faces of a group photo: each a sensible fraction of the image, none overlapping another.
        expect(x1 - x0).toBeGreaterThan(width / 20);
        for (const other of faces) if (other !== face) expect(iou(face.bound_box, other.bound_box)).toBeLessThan(0.1);
      }
    },
    60_000,
  );

  it("finds no face in a plain image", async () => {
    const image = await sharp({ create: { width: 320, height: 240, channels: 3, background: "#5080b0" } })
      .png()
      .toBuffer();
    const output = await runAction(detectFaces, { image, config: {}, models: onnxModels() });
    expect(output).toEqual({ write: { face_count: 0 }, objects: [] });
  }, 60_000);

  it.skipIf(!photos)(
    `keeps face boxes in root pixels when run on an object's crop (${skipReason})`,
    async () => {
      const image = readFileSync(GROUP);
      const whole = (await runAction(detectFaces, { image, config: {}, models: onnxModels() })).objects ?? [];
      const leftmost = [...whole].sort((a, b) => a.bound_box[0] - b.bound_box[0])[0] as DetectedObject;
      const [x0, y0, x1, y1] = leftmost.bound_box;
      const region: DetectedObject = { name: "person", prob: 1, bound_box: [x0 - 60, y0 - 60, x1 + 60, y1 + 60] };
      const inCrop = await runAction(detectFaces, { image, config: {}, object: region, models: onnxModels() });
      // The crop's most probable face is the same face, in the same root-image pixels.
      const best = [...(inCrop.objects ?? [])].sort((a, b) => b.prob - a.prob)[0];
      expect(iou(best?.bound_box ?? [], leftmost.bound_box)).toBeGreaterThan(0.6);
    },
    60_000,
  );
});

describe("facial expression", () => {
  async function expressionOf(path: string): Promise<string | undefined> {
    const image = readFileSync(path);
    const [face] = (await runAction(detectFaces, { image, config: {}, models: onnxModels() })).objects ?? [];
    if (!face) throw new Error(`no face found in ${path}`);
    const output = await runAction(expression, { image, config: {}, object: face, models: onnxModels() });
    return (output.write?.expression as { best_label: { name: string } }).best_label.name;
  }

  it.skipIf(!photos)(
    `tells a happy face from an angry one (${skipReason})`,
    async () => {
      expect(await expressionOf(HAPPY)).toBe("happy");
      expect(await expressionOf(ANGRY)).toBe("angry");
    },
    60_000,
  );

  it("declares both actions as services with credits", () => {
    expect(plugin.actions.map((a) => [a.id, a.service, a.credits])).toEqual([
      ["detect", true, 1],
      ["expression", true, 1],
    ]);
  });
});
