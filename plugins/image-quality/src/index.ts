/** Image quality service: numbers a Condition can test (is the photo sharp, bright, contrasted, large enough). */
import { defineAction, definePlugin, type JsonSchema } from "@vizflow/sdk";

import { measureQuality } from "./measures.js";

export { laplacianVariance, luma, measureQuality, type QualityMeasures } from "./measures.js";

export type ImageQualityConfig = {
  /** Field the measures are written under (default `quality`). */
  output?: string;
};

const measuresSchema: JsonSchema = {
  type: "object",
  required: ["sharpness", "brightness", "contrast", "width", "height", "megapixels"],
  properties: {
    sharpness: { type: "number", minimum: 0, description: "Variance of the Laplacian of the luma; higher is sharper." },
    brightness: { type: "number", minimum: 0, maximum: 1, description: "Mean luma, 0 black to 1 white." },
    contrast: {
      type: "number",
      minimum: 0,
      maximum: 1,
      description: "RMS contrast (standard deviation of the luma / 255).",
    },
    width: { type: "integer", minimum: 1, description: "Width in pixels of the scope (image or object crop)." },
    height: { type: "integer", minimum: 1, description: "Height in pixels of the scope." },
    megapixels: { type: "number", minimum: 0 },
  },
};

export const measure = defineAction<ImageQualityConfig>({
  id: "measure",
  version: 1,
  title: "Image quality",
  description:
    "Measures sharpness (variance of the Laplacian), brightness, contrast and resolution of the image or of each object's crop.",
  category: "Services",
  icon: "scan-eye",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      output: { type: "string", title: "Output field", pattern: "^[A-Za-z][A-Za-z0-9_]*$", default: "quality" },
    },
  },
  handles: [{ id: "next", label: "Next" }],
  writes: (config) => ({
    type: "object",
    properties: { [config.output ?? "quality"]: measuresSchema },
  }),
  credits: 1,
  service: true,
  async run(ctx, _scope, config) {
    const measures = measureQuality(await ctx.image.pixels());
    return { write: { [config.output ?? "quality"]: measures } };
  },
});

export default definePlugin({
  name: "quality",
  title: "Image quality",
  description: "Sharpness, brightness, contrast and resolution as numbers a Condition can test.",
  actions: [measure],
});
