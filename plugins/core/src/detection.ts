import { defineAction } from "@vizflow/sdk";

import { objectsFieldSchema, taskIdSchema, writesOneField } from "./schemas.js";

export type DetectionConfig = { task: string };

/** Runs a detection task; its boxes are already in root-image pixels (the model host maps them). */
export const detection = defineAction<DetectionConfig>({
  id: "detection",
  version: 1,
  title: "Detection",
  description: "Runs a detection task and writes the objects it finds into `_objects`.",
  category: "Models",
  icon: "scan",
  config: {
    type: "object",
    required: ["task"],
    additionalProperties: false,
    properties: { task: taskIdSchema },
  },
  ui: { task: { "ui:widget": "task", "ui:options": { taskTypes: ["detection"] } } },
  handles: [{ id: "next", label: "Next" }],
  writes: writesOneField("_objects", objectsFieldSchema),
  credits: 1,
  references: (config) => [{ kind: "task", id: config.task, path: "/task", types: ["detection"] }],
  async run(ctx, _scope, config) {
    const prediction = await ctx.models.predict(config.task);
    if (prediction.type !== "detection") {
      throw new Error(`task ${config.task} is a ${prediction.type} task; Detection needs a detection task`);
    }
    return { write: { _objects: prediction.result } };
  },
});
