import { defineAction } from "@vizflow/sdk";

import { writesNothing } from "./schemas.js";

/** The root of every flow: the incoming record. It only hands the record to its children. */
export const input = defineAction<Record<string, never>>({
  id: "input",
  version: 1,
  title: "Input",
  description: "The incoming record: its image and the fields the caller sent.",
  category: "Input",
  icon: "image",
  config: { type: "object", properties: {}, additionalProperties: false },
  handles: [{ id: "next", label: "Next" }],
  writes: writesNothing,
  credits: 0,
  run: () => Promise.resolve({}),
});
