import { defineAction, type DetectedObject } from "@vizflow/sdk";

import { objectsOutput, taskIdSchema, writesObjects } from "./schemas.js";

export type DetectionConfig = {
  task: string;
  /** Keep at most this many objects, the most probable ones. */
  maxObjects?: number;
};

/** Objects a Detection keeps by default: enough for a crowd (a group photo has well over 100 faces). */
export const DETECTION_MAX_OBJECTS = 300;
export const DETECTION_MAX_OBJECTS_LIMIT = 10_000;

/** The `max` most probable objects (all of them, in their order, when there are no more). */
export function mostProbable(objects: readonly DetectedObject[], max: number): DetectedObject[] {
  if (objects.length <= max) return [...objects];
  return [...objects].sort((a, b) => b.prob - a.prob).slice(0, max);
}

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
    properties: {
      task: taskIdSchema,
      maxObjects: {
        type: "integer",
        title: "Maximum objects",
        description:
          `The most probable objects kept (default ${DETECTION_MAX_OBJECTS}). When more are found, the rest are ` +
          "left out and counted in `_objects_dropped`, as are those the model version's own cap (maxDetections) cut.",
        minimum: 1,
        maximum: DETECTION_MAX_OBJECTS_LIMIT,
        default: DETECTION_MAX_OBJECTS,
      },
    },
  },
  ui: { task: { "ui:widget": "task", "ui:options": { taskTypes: ["detection"] } } },
  handles: [{ id: "next", label: "Next" }],
  writes: writesObjects,
  credits: 1,
  references: (config) => [{ kind: "task", id: config.task, path: "/task", types: ["detection"] }],
  async run(ctx, _scope, config) {
    const prediction = await ctx.models.predict(config.task);
    if (prediction.type !== "detection") {
      throw new Error(`task ${config.task} is a ${prediction.type} task; Detection needs a detection task`);
    }
    const kept = mostProbable(prediction.result, config.maxObjects ?? DETECTION_MAX_OBJECTS);
    const dropped = (prediction.dropped ?? 0) + prediction.result.length - kept.length;
    return { write: objectsOutput(kept, dropped) };
  },
});
