/** A fake ModelHost for plugin tests: canned task predictions, optionally computed from the scope. */
import type { ModelHost, Scope, ScopeImage, Tensor } from "../action.js";
import type { BoundingBox, TaskPrediction } from "../records.js";

/** What a prediction function sees: the scope the action runs on and its image. */
export interface ScopeView {
  scope: Scope;
  image: ScopeImage;
}

export type FakePrediction = TaskPrediction | ((view: ScopeView) => TaskPrediction | Promise<TaskPrediction>);

export interface FakeModelsSpec {
  /** Prediction per task id. */
  tasks?: Record<string, FakePrediction>;
  /** Answers `ModelHost.run` for plugin-shipped model files. */
  run?: (
    model: { path: string },
    feeds: Record<string, Tensor>,
  ) => Record<string, Tensor> | Promise<Record<string, Tensor>>;
}

/** One inference the action asked for. */
export interface FakeModelCall {
  kind: "predict" | "run";
  /** Task id, or model path for `run`. */
  target: string;
  /** The scope's box in root-image pixels. */
  box: BoundingBox;
}

/** Hands out a ModelHost bound to one scope; `runAction` takes it in place of a ModelHost. */
export interface ModelHostFactory {
  forScope(view: ScopeView): ModelHost;
  /** Every inference asked for, in order. */
  readonly calls: readonly FakeModelCall[];
}

/**
 * Fake models answering from `spec`.
 *
 * @example
 * const models = fakeModels({ tasks: { pets: { type: "categorization", result: { best_label: cat, labels: [cat] } } } });
 * await runAction(recognition, { image, config: { task: "pets" }, models });
 */
export function fakeModels(spec: FakeModelsSpec): ModelHostFactory {
  const calls: FakeModelCall[] = [];
  return {
    calls,
    forScope(view) {
      return {
        async predict(taskId) {
          calls.push({ kind: "predict", target: taskId, box: view.image.box });
          const prediction = spec.tasks?.[taskId];
          if (prediction === undefined) {
            const known = Object.keys(spec.tasks ?? {});
            throw new Error(
              `fakeModels has no prediction for task "${taskId}" (it knows ${known.length > 0 ? known.map((t) => `"${t}"`).join(", ") : "no tasks"})`,
            );
          }
          return typeof prediction === "function" ? await prediction(view) : structuredClone(prediction);
        },
        async run(model, feeds) {
          calls.push({ kind: "run", target: model.path, box: view.image.box });
          if (!spec.run)
            throw new Error(`fakeModels was given no \`run\` handler, but the action ran model ${model.path}`);
          return await spec.run(model, feeds);
        },
      };
    },
  };
}
