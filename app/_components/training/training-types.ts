import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "@/_server/routers/_app";
import type { TaskTypeName } from "./training-format";

type Outputs = inferRouterOutputs<AppRouter>["trainingSet"];

/** One image of the grid, with its signed thumbnail and full-size links. */
export type TrainingItem = Outputs["list"]["items"][number];
export type TrainingCounts = Outputs["counts"];

/** What the training data view needs of its task. */
export interface TrainingTask {
  readonly id: string;
  readonly type: TaskTypeName;
  readonly labels: readonly string[];
}
