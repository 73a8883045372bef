/**
 * Privacy blur: an example third-party Vizflow plugin, built only against the public SDK.
 * It hides the objects found upstream (faces, text, plates) and returns the redacted image as a PNG.
 */
import { defineAction, definePlugin, type DetectedObject } from "@vizflow/sdk";

import { encodePng } from "./png.js";
import { downscale, pixelBox, redactBox, toRgb, type RedactMethod } from "./redact.js";

export { encodePng } from "./png.js";
export { downscale, redactBox, type RedactMethod } from "./redact.js";

export type BlurConfig = {
  /** Names of the objects to hide (default: `face`); an empty list hides every object. */
  labels?: string[];
  /** Objects found with a lower probability stay visible (default 0). */
  minProb?: number;
  method?: RedactMethod;
  /** 1..100: blur radius or block size as a percentage of the object's shorter side (default 25). */
  strength?: number;
  /** Extra margin around each object, as a fraction of its size (default 0.1). */
  padding?: number;
  /** Longest side of the returned image in pixels (default 1280). */
  maxSide?: number;
  /** Field the image is written under (default `redacted`). */
  output?: string;
};

export const blur = defineAction<BlurConfig>({
  id: "blur",
  version: 1,
  title: "Privacy blur",
  description:
    "Blurs, pixelates or blacks out the objects found upstream (faces, text...) and returns the redacted image as a base64 PNG.",
  category: "Privacy",
  icon: "eye-off",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      labels: { type: "array", title: "Objects to hide", items: { type: "string", minLength: 1 }, default: ["face"] },
      minProb: { type: "number", title: "Minimum probability", minimum: 0, maximum: 1, default: 0 },
      method: { type: "string", title: "Method", enum: ["blur", "pixelate", "fill"], default: "blur" },
      strength: { type: "number", title: "Strength", minimum: 1, maximum: 100, default: 25 },
      padding: { type: "number", title: "Padding", minimum: 0, maximum: 1, default: 0.1 },
      maxSide: { type: "integer", title: "Longest side", minimum: 16, maximum: 8192, default: 1280 },
      output: { type: "string", title: "Output field", pattern: "^[A-Za-z][A-Za-z0-9_]*$", default: "redacted" },
    },
  },
  ui: {
    labels: { "ui:help": "Names of objects written by an upstream detection or service, e.g. face or text." },
    strength: { "ui:widget": "range" },
  },
  handles: [{ id: "next", label: "Next" }],
  writes: (config) => ({
    type: "object",
    properties: {
      [config.output ?? "redacted"]: {
        type: "object",
        required: ["mime", "width", "height", "base64", "hidden"],
        properties: {
          mime: { const: "image/png" },
          width: { type: "integer", minimum: 1 },
          height: { type: "integer", minimum: 1 },
          base64: { type: "string", description: "The redacted image, PNG, base64." },
          hidden: { type: "integer", minimum: 0, description: "How many objects were hidden." },
        },
      },
    },
  }),
  credits: 1,
  async run(ctx, scope, config) {
    const labels = config.labels ?? ["face"];
    const objects = Array.isArray(scope.fields._objects) ? (scope.fields._objects as DetectedObject[]) : [];
    const pixels = await ctx.image.pixels();
    const rgb = toRgb(pixels);
    const [ox, oy] = ctx.image.box;
    const padding = config.padding ?? 0.1;
    let hidden = 0;
    for (const object of objects) {
      if (labels.length > 0 && !labels.includes(object.name)) continue;
      if (object.prob < (config.minProb ?? 0)) continue;
      // Objects carry root-image boxes; this scope may be a crop of the root image.
      const [x0, y0, x1, y1] = object.bound_box;
      const px = (x1 - x0) * padding;
      const py = (y1 - y0) * padding;
      const box = pixelBox([x0 - px - ox, y0 - py - oy, x1 + px - ox, y1 + py - oy], pixels.width, pixels.height);
      if (!box) continue;
      redactBox(rgb, pixels.width, box, config.method ?? "blur", config.strength ?? 25);
      hidden++;
    }
    const small = downscale(rgb, pixels.width, pixels.height, config.maxSide ?? 1280);
    const png = encodePng(small.rgb, small.width, small.height);
    ctx.log.debug("privacy blur", { hidden, width: small.width, height: small.height });
    return {
      write: {
        [config.output ?? "redacted"]: {
          mime: "image/png",
          width: small.width,
          height: small.height,
          base64: Buffer.from(png).toString("base64"),
          hidden,
        },
      },
    };
  },
});

export default definePlugin({
  name: "privacy",
  title: "Privacy",
  description: "Hides faces, text and other detected objects in the returned image.",
  actions: [blur],
});
