/** Dominant colours service: the main colours of the image, or of each object under an Object Selector. */
import { defineAction, definePlugin, type JsonSchema } from "@vizflow/sdk";

import { dominantColors } from "./dominant.js";

export { colorName, rgbToLab, toHex } from "./color-names.js";
export {
  dominantColors,
  type DominantColor,
  type DominantColorsOptions,
  type DominantColorsResult,
} from "./dominant.js";

export type DominantColorsConfig = {
  /** Most colours reported (default 5). */
  count?: number;
  /** Colours covering less than this share of the pixels are left out (default 0.01). */
  minShare?: number;
  /** Leave out a plain background (the colour covering most of the border); default false. */
  ignoreBackground?: boolean;
  /** Field the colours are written under (default `colors`). */
  output?: string;
};

const swatch: JsonSchema = {
  type: "object",
  required: ["hex", "rgb", "name", "share"],
  properties: {
    hex: { type: "string", description: "#rrggbb" },
    rgb: { type: "array", items: { type: "integer", minimum: 0, maximum: 255 }, minItems: 3, maxItems: 3 },
    name: { type: "string", description: "Nearest everyday colour name (red, navy, beige...)." },
    share: { type: "number", minimum: 0, maximum: 1, description: "Share of the counted pixels." },
  },
};

export const dominant = defineAction<DominantColorsConfig>({
  id: "dominant",
  version: 1,
  title: "Dominant colours",
  description:
    "The main colours of the image (or of each object's crop) with their share of pixels and a colour name, optionally ignoring a plain background.",
  category: "Services",
  icon: "palette",
  config: {
    type: "object",
    additionalProperties: false,
    properties: {
      count: { type: "integer", title: "Colours", minimum: 1, maximum: 12, default: 5 },
      minShare: { type: "number", title: "Minimum share", minimum: 0, maximum: 1, default: 0.01 },
      ignoreBackground: { type: "boolean", title: "Ignore a plain background", default: false },
      output: { type: "string", title: "Output field", pattern: "^[A-Za-z][A-Za-z0-9_]*$", default: "colors" },
    },
  },
  ui: { ignoreBackground: { "ui:help": "Leaves out the colour that covers most of the image's border." } },
  handles: [{ id: "next", label: "Next" }],
  writes: (config) => ({
    type: "object",
    properties: {
      [config.output ?? "colors"]: {
        type: "object",
        required: ["colors", "background"],
        properties: {
          colors: { type: "array", items: swatch },
          background: {
            anyOf: [
              { type: "null" },
              {
                type: "object",
                required: ["hex", "name", "share"],
                properties: { hex: { type: "string" }, name: { type: "string" }, share: { type: "number" } },
              },
            ],
          },
        },
      },
    },
  }),
  credits: 1,
  service: true,
  async run(ctx, _scope, config) {
    const result = dominantColors(await ctx.image.pixels(), {
      count: config.count ?? 5,
      minShare: config.minShare ?? 0.01,
      ignoreBackground: config.ignoreBackground ?? false,
    });
    return { write: { [config.output ?? "colors"]: result } };
  },
});

export default definePlugin({
  name: "colors",
  title: "Colours",
  description: "Dominant colours with their share of pixels and a colour name.",
  actions: [dominant],
});
