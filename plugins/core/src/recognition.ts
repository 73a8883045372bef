import { defineAction, type LabelProb, type TaskPrediction } from "@vizflow/sdk";

import { outputFieldSchema, predictionSchema, probSchema, taskIdSchema, writesOneField } from "./schemas.js";

export type RecognitionConfig = {
  /** A categorization, tagging or regression task of the workspace. */
  task: string;
  /** Field the result is written to. */
  output: string;
  /** Tagging only: labels with a lower probability are left out. */
  threshold?: number;
};

export const DEFAULT_TAGGING_THRESHOLD = 0.5;

/** Labels at or over the threshold, most probable first. */
export function labelsOver(labels: readonly LabelProb[], threshold: number): LabelProb[] {
  return labels.filter((label) => label.prob >= threshold).sort((a, b) => b.prob - a.prob);
}

/** Turns a prediction into the value written under the output field. */
export function recognitionResult(taskId: string, prediction: TaskPrediction, threshold: number | undefined): unknown {
  switch (prediction.type) {
    case "categorization":
      return { best_label: prediction.result.best_label, labels: prediction.result.labels };
    case "tagging":
      return { labels: labelsOver(prediction.result.labels, threshold ?? DEFAULT_TAGGING_THRESHOLD) };
    case "regression":
      return prediction.result;
    case "detection":
      throw new Error(`task ${taskId} is a detection task; use a Detection or Object Selector action for it`);
  }
}

/** Runs a categorization, tagging or regression task on the scope's image. */
export const recognition = defineAction<RecognitionConfig>({
  id: "recognition",
  version: 1,
  title: "Recognition",
  description: "Runs a categorization, tagging or regression task and writes its result into a field.",
  category: "Models",
  icon: "tags",
  config: {
    type: "object",
    required: ["task", "output"],
    additionalProperties: false,
    properties: {
      task: taskIdSchema,
      output: outputFieldSchema,
      threshold: { ...probSchema, title: "Tagging threshold", default: DEFAULT_TAGGING_THRESHOLD },
    },
  },
  ui: {
    task: { "ui:widget": "task", "ui:options": { taskTypes: ["categorization", "tagging", "regression"] } },
    threshold: {
      "ui:help": "Labels below this probability are left out.",
      "ui:options": { taskField: "task", forTaskTypes: ["tagging"] },
    },
  },
  handles: [{ id: "next", label: "Next" }],
  writes: (config) => writesOneField(config.output, predictionSchema(true)),
  credits: 1,
  references: (config) => [
    { kind: "task", id: config.task, path: "/task", types: ["categorization", "tagging", "regression"] },
  ],
  async run(ctx, _scope, config) {
    const prediction = await ctx.models.predict(config.task);
    return { write: { [config.output]: recognitionResult(config.task, prediction, config.threshold) } };
  },
});
