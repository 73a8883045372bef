import { existsSync, readFileSync } from "node:fs";

import type { DetectedObject } from "@vizflow/sdk";
import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

const FONT = installedTestFont();
if (!FONT) console.warn(NO_TEST_FONT);

import { FlowEngine } from "../engine/engine.js";
import { responseSchema } from "../http/response-schema.js";
import { installedTestFont, NO_TEST_FONT } from "../testing/fonts.js";
import { onnxImageRuntime } from "../engine/onnx-image-runtime.js";
import { fakeWorkspace, graph } from "../engine/test-support.js";
import { InMemoryModelStore, ModelRuntime } from "../runtime/index.js";
import { loadPlugins } from "./load-plugins.js";

// The built-in services through the whole engine: the plugin loader's registry, the core Service action,
// and the real ModelHost.run (ONNX sessions in the worker pool) on the models the plugins ship.
const models = new ModelRuntime({ store: new InMemoryModelStore([]) });
afterAll(() => models.close());

async function engine(): Promise<FlowEngine> {
  const { registry } = await loadPlugins({ root: process.cwd(), env: {} });
  return new FlowEngine({ registry, runtime: onnxImageRuntime({ models }) });
}

/** The properties of a record in a flow's response schema. */
function recordProperties(schema: Record<string, unknown>): Record<string, unknown> {
  const records = (schema.properties as { records: { items: { properties: Record<string, unknown> } } }).records;
  return records.items.properties;
}

const GROUP = "../shared/models/ultraface/imgs/2.jpg";

describe("built-in services in a flow", () => {
  it.skipIf(!FONT)(
    "OCR, image quality and dominant colours run through core Service nodes and meter their credits",
    async () => {
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="560" height="100">
      <rect width="100%" height="100%" fill="white"/>
      <text x="20" y="62" font-family="${FONT ?? ""}" font-size="40">Order 5521 shipped</text></svg>`;
      const image = (await sharp(Buffer.from(svg)).png().toBuffer()).toString("base64");
      const flow = graph(
        [
          ["ocr", "core/service@1", { action: "ocr/read-text@1", config: {} }],
          ["quality", "core/service@1", { action: "quality/measure@1", config: {} }],
          ["colors", "core/service@1", { action: "colors/dominant@1", config: { count: 2 } }],
        ],
        [
          ["in", "next", "ocr"],
          ["ocr", "next", "quality"],
          ["quality", "next", "colors"],
        ],
      );
      const result = await (await engine()).run(fakeWorkspace(), { graph: flow }, [{ _id: "note", _base64: image }]);
      const [record] = result.records;
      expect(record?._status).toEqual({ code: 200, text: "OK" });
      expect(record?.text).toBe("Order 5521 shipped");
      expect((record?._objects as DetectedObject[]).map((o) => [o.name, o.text])).toEqual([
        ["text", "Order 5521 shipped"],
      ]);
      expect(record?.quality).toMatchObject({ width: 560, height: 100 });
      const colors = record?.colors as { colors: { name: string }[] };
      expect(colors.colors[0]?.name).toBe("white");
      expect(result.statistics.credits).toBe(2 + 1 + 1);

      // What each service writes reaches the flow's response schema through its Service node.
      const built = await engine();
      const prepared = await built.prepare(fakeWorkspace(), { graph: flow });
      const written = recordProperties(responseSchema(prepared.plan, { flowId: "f", version: 1 }));
      expect(written.text).toMatchObject({ type: "string" });
      expect(written._objects).toMatchObject({ items: { properties: { text: { type: "string" } } } });
      expect(written.quality).toMatchObject({ properties: { sharpness: { type: "number" } } });
      expect(written.colors).toMatchObject({ properties: { colors: { type: "array" } } });
    },
    60_000,
  );

  it.skipIf(!existsSync(GROUP))(
    `detects faces, then classifies each face's expression (needs ${GROUP})`,
    async () => {
      const flow = graph(
        [
          ["faces", "core/service@1", { action: "faces/detect@1", config: {} }],
          ["mood", "core/service@1", { action: "faces/expression@1", config: {} }],
        ],
        [
          ["in", "next", "faces"],
          ["faces", "objects", "mood"],
        ],
      );
      const photo = readFileSync(GROUP).toString("base64");
      const result = await (await engine()).run(fakeWorkspace(), { graph: flow }, [{ _base64: photo }]);
      const [record] = result.records;
      expect(record?._status).toEqual({ code: 200, text: "OK" });
      expect(record?.face_count).toBe(4);
      const faces = record?._objects as DetectedObject[];
      expect(faces).toHaveLength(4);
      for (const face of faces) {
        expect(face.name).toBe("face");
        expect((face.expression as { best_label: { name: string } }).best_label.name).toEqual(expect.any(String));
      }
      expect(result.statistics.credits).toBe(1 + 4);

      const prepared = await (await engine()).prepare(fakeWorkspace(), { graph: flow });
      const written = recordProperties(responseSchema(prepared.plan, { flowId: "f", version: 1 }));
      expect(written.face_count).toMatchObject({ type: "integer" });
      expect(written._objects).toMatchObject({ items: { properties: { expression: { type: "object" } } } });
    },
    60_000,
  );
});
