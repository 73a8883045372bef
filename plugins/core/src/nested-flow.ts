import { defineAction } from "@vizflow/sdk";

import { outputFieldSchema, writesOneField } from "./schemas.js";

export type NestedFlowConfig = {
  flow: string;
  /** A saved version number, or the version deployed when the record is processed. */
  version: number | "deployed";
  /** When set, the nested flow's fields are written under this field instead of into the scope. */
  output?: string;
};

/** Runs another flow of the workspace on the current scope; its credits are those of what ran inside. */
export const nestedFlow = defineAction<NestedFlowConfig>({
  id: "nested-flow",
  version: 1,
  title: "Nested Flow",
  description: "Runs another flow of the workspace on the current image or object.",
  category: "Flows",
  icon: "workflow",
  config: {
    type: "object",
    required: ["flow", "version"],
    additionalProperties: false,
    properties: {
      flow: { type: "string", minLength: 1, title: "Flow" },
      version: {
        title: "Version",
        oneOf: [{ type: "integer", minimum: 1 }, { const: "deployed" }],
        default: "deployed",
      },
      output: outputFieldSchema,
    },
  },
  ui: { flow: { "ui:widget": "flow" }, version: { "ui:widget": "flow-version", "ui:options": { flowField: "flow" } } },
  handles: [{ id: "next", label: "Next" }],
  writes: (config) =>
    config.output === undefined ? { type: "object" } : writesOneField(config.output, { type: "object" }),
  credits: 0,
  references: (config) => [{ kind: "flow", id: config.flow, version: config.version, path: "/flow" }],
  async run(ctx, _scope, config) {
    const output = await ctx.runFlow(config.flow, config.version);
    const fields = output.write ?? {};
    return {
      write: config.output === undefined ? fields : { [config.output]: fields },
      ...(output.credits === undefined ? {} : { credits: output.credits }),
    };
  },
});
