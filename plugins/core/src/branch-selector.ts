import { defineAction, type HandleSpec, type LabelProb } from "@vizflow/sdk";

import { DEFAULT_TAGGING_THRESHOLD, labelsOver, recognitionResult } from "./recognition.js";
import {
  outputFieldSchema,
  predictionSchema,
  probSchema,
  taskIdSchema,
  writesNothing,
  writesOneField,
} from "./schemas.js";

export type BranchSelectorConfig = {
  /** A categorization or tagging task. */
  task: string;
  /** Labels of the task that get a branch; every other result goes to `else`. */
  branches: string[];
  /** Tagging only: take every branch whose label is over the threshold, not just the most probable one. */
  multiple?: boolean;
  /** Minimum probability for a label to choose its branch (default 0 for categorization, 0.5 for tagging). */
  threshold?: number;
  /** When set, the prediction is also written into this field. */
  output?: string;
};

export const ELSE_HANDLE = "else";

export function branchHandle(label: string): string {
  return `branch:${label}`;
}

/**
 * The labels that get a branch: the config's strings, in order, once each. A config that failed
 * validation (an empty entry, a repeated label) still draws sensible handles in the editor.
 */
export function branchLabels(config: Pick<BranchSelectorConfig, "branches">): string[] {
  const labels: unknown[] = Array.isArray(config.branches) ? config.branches : [];
  return [...new Set(labels.filter((label): label is string => typeof label === "string" && label !== ""))];
}

/** Handles to take for the labels a prediction chose (most probable first). */
function chooseBranches(chosen: readonly LabelProb[], config: BranchSelectorConfig): string[] {
  const inBranches = chosen.filter((label) => config.branches.includes(label.name));
  const taken = config.multiple ? inBranches : inBranches.slice(0, 1);
  return taken.length === 0 ? [ELSE_HANDLE] : taken.map((label) => branchHandle(label.name));
}

/** Routes the scope to the branch of its label: one branch for categorization, possibly several for tagging. */
export const branchSelector = defineAction<BranchSelectorConfig>({
  id: "branch-selector",
  version: 1,
  title: "Branch Selector",
  description: "Runs a categorization or tagging task and continues on the branch of the label it finds.",
  category: "Flow control",
  icon: "split",
  config: {
    type: "object",
    required: ["task", "branches"],
    additionalProperties: false,
    properties: {
      task: taskIdSchema,
      branches: {
        type: "array",
        title: "Branches",
        description: "Labels of the task, one branch each.",
        items: { type: "string", minLength: 1 },
        minItems: 1,
        uniqueItems: true,
      },
      multiple: { type: "boolean", title: "Take several branches (tagging)", default: false },
      threshold: { ...probSchema, title: "Minimum probability" },
      output: outputFieldSchema,
    },
  },
  ui: {
    task: { "ui:widget": "task", "ui:options": { taskTypes: ["categorization", "tagging"] } },
    branches: { "ui:widget": "task-labels", "ui:options": { taskField: "task" } },
    multiple: { "ui:options": { taskField: "task", forTaskTypes: ["tagging"] } },
  },
  handles: (config) => [
    ...branchLabels(config).map((label): HandleSpec => ({ id: branchHandle(label), label })),
    { id: ELSE_HANDLE, label: "Else" },
  ],
  exclusiveHandles: (config) => !config.multiple,
  writes: (config) =>
    config.output === undefined ? writesNothing : writesOneField(config.output, predictionSchema(false)),
  credits: 1,
  references: (config) => [
    {
      kind: "task",
      id: config.task,
      path: "/task",
      types: config.multiple ? ["tagging"] : ["categorization", "tagging"],
      labels: (Array.isArray(config.branches) ? config.branches : []).flatMap((name, i) =>
        typeof name === "string" ? [{ name, path: `/branches/${i}` }] : [],
      ),
    },
  ],
  async run(ctx, _scope, config) {
    const prediction = await ctx.models.predict(config.task);
    let chosen: LabelProb[];
    if (prediction.type === "categorization") {
      const best = prediction.result.best_label;
      chosen = best.prob >= (config.threshold ?? 0) ? [best] : [];
    } else if (prediction.type === "tagging") {
      chosen = labelsOver(prediction.result.labels, config.threshold ?? DEFAULT_TAGGING_THRESHOLD);
    } else {
      throw new Error(
        `task ${config.task} is a ${prediction.type} task; a Branch Selector needs categorization or tagging`,
      );
    }
    const take = chooseBranches(chosen, config);
    if (config.output === undefined) return { take };
    return { take, write: { [config.output]: recognitionResult(config.task, prediction, config.threshold) } };
  },
});
