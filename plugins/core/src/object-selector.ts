import { defineAction, type BoundingBox, type DetectedObject } from "@vizflow/sdk";

import { objectsOutput, probSchema, taskIdSchema, writesObjects } from "./schemas.js";

export type ObjectSelectorConfig = {
  /** A detection task. */
  task: string;
  /** Keep only objects with these labels (all labels when absent or empty). */
  labels?: string[];
  /** Keep only objects at least this probable. */
  minProb?: number;
  /** Keep at most this many objects, the most probable ones. */
  maxObjects?: number;
  /** Grow each kept object's box by this fraction of its width/height on every side (clamped to the scope). */
  padding?: number;
};

export const DEFAULT_MAX_OBJECTS = 10;
export const MAX_OBJECTS_LIMIT = 1000;

/** Grows `box` by `padding` of its size on each side, staying inside `bounds`. */
export function padBox(box: BoundingBox, padding: number, bounds: BoundingBox): BoundingBox {
  const [xmin, ymin, xmax, ymax] = box;
  const dx = (xmax - xmin) * padding;
  const dy = (ymax - ymin) * padding;
  return [
    Math.max(bounds[0], xmin - dx),
    Math.max(bounds[1], ymin - dy),
    Math.min(bounds[2], xmax + dx),
    Math.min(bounds[3], ymax + dy),
  ];
}

/**
 * Applies the selector's filters: labels, minimum probability, most probable first, at most `maxObjects`.
 * `dropped` counts the objects that passed the filters but not the cap.
 */
export function selectObjects(
  objects: readonly DetectedObject[],
  config: ObjectSelectorConfig,
  bounds: BoundingBox,
): { objects: DetectedObject[]; dropped: number } {
  const labels = config.labels && config.labels.length > 0 ? new Set(config.labels) : undefined;
  const minProb = config.minProb ?? 0;
  const padding = config.padding ?? 0;
  const passed = objects
    .filter((o) => (labels === undefined || labels.has(o.name)) && o.prob >= minProb)
    .sort((a, b) => b.prob - a.prob);
  const kept = passed.slice(0, config.maxObjects ?? DEFAULT_MAX_OBJECTS);
  return {
    objects: kept.map((o) => (padding > 0 ? { ...o, bound_box: padBox(o.bound_box, padding, bounds) } : { ...o })),
    dropped: passed.length - kept.length,
  };
}

/** Detects objects, keeps those that pass the filters, and runs its children once per kept object's crop. */
export const objectSelector = defineAction<ObjectSelectorConfig>({
  id: "object-selector",
  version: 1,
  title: "Object Selector",
  description:
    "Runs a detection task, keeps the objects that pass the filters, and runs the next actions on each object's crop.",
  category: "Flow control",
  icon: "crop",
  config: {
    type: "object",
    required: ["task"],
    additionalProperties: false,
    properties: {
      task: taskIdSchema,
      labels: {
        type: "array",
        title: "Labels",
        description: "Keep only objects with these labels; none chosen keeps every label.",
        items: { type: "string", minLength: 1 },
        uniqueItems: true,
      },
      minProb: {
        ...probSchema,
        title: "Minimum probability",
        description:
          "Objects less probable than this are left out. The default, 0, keeps every object the model version " +
          "returns (its decoder already applies its own threshold); raise it to keep only surer ones.",
        default: 0,
      },
      maxObjects: {
        type: "integer",
        title: "Maximum objects",
        description:
          `The most probable objects kept after the filters above (default ${DEFAULT_MAX_OBJECTS}, at most ` +
          `${MAX_OBJECTS_LIMIT}). The next actions run on each kept object and each run costs credits, so this also ` +
          "bounds what a call can cost. Objects left out are counted in `_objects_dropped`, with those the model " +
          "version's own cap (maxDetections) cut.",
        minimum: 1,
        maximum: MAX_OBJECTS_LIMIT,
        default: DEFAULT_MAX_OBJECTS,
      },
      padding: { type: "number", title: "Padding", minimum: 0, maximum: 1, default: 0 },
    },
  },
  ui: {
    task: { "ui:widget": "task", "ui:options": { taskTypes: ["detection"] } },
    labels: { "ui:widget": "task-labels", "ui:options": { taskField: "task" } },
    padding: { "ui:help": "Fraction of the object's size added on each side of its crop." },
  },
  handles: [{ id: "objects", label: "Each object", fanOut: "objects" }],
  writes: writesObjects,
  credits: 1,
  maxObjects: (config) => config.maxObjects ?? DEFAULT_MAX_OBJECTS,
  references: (config) => [
    {
      kind: "task",
      id: config.task,
      path: "/task",
      types: ["detection"],
      labels: (config.labels ?? []).map((name, i) => ({ name, path: `/labels/${i}` })),
    },
  ],
  async run(ctx, _scope, config) {
    const prediction = await ctx.models.predict(config.task);
    if (prediction.type !== "detection") {
      throw new Error(`task ${config.task} is a ${prediction.type} task; an Object Selector needs a detection task`);
    }
    const { objects, dropped } = selectObjects(prediction.result, config, ctx.image.box);
    return { write: objectsOutput(objects, dropped + (prediction.dropped ?? 0)), objects };
  },
});
