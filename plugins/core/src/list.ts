import { defineAction } from "@vizflow/sdk";

import { writesNothing } from "./schemas.js";

export type ListConfig = { mode: "sequence" | "parallel" };

/** Groups children: in `sequence` they run in edge order, each seeing what the previous ones wrote. */
export const list = defineAction<ListConfig>({
  id: "list",
  version: 1,
  title: "List",
  description: "Groups the next actions and runs them one after another (sequence) or at the same time (parallel).",
  category: "Flow control",
  icon: "list",
  config: {
    type: "object",
    required: ["mode"],
    additionalProperties: false,
    properties: { mode: { enum: ["sequence", "parallel"], title: "Mode", default: "parallel" } },
  },
  ui: { mode: { "ui:widget": "radio" } },
  handles: [{ id: "next", label: "Next" }],
  sequential: (config) => config.mode === "sequence",
  writes: writesNothing,
  credits: 0,
  run: () => Promise.resolve({}),
});
