/** Evaluation of model versions on labelled test sets: test-set layouts, the run, and the metrics. */
export * from "./metrics.js";
export {
  isImagePath,
  isIgnoredPath,
  isManifestPath,
  readTestSetLayout,
  type TestSetLayout,
  type TestSetSample,
  type Truth,
} from "./test-set-layout.js";
export {
  evaluate,
  type EvaluateOptions,
  type EvaluationOutcome,
  type EvaluationSample,
  type ImageResult,
} from "./evaluate.js";
