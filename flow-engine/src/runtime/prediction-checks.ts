// The checks live in the SDK, which the test kit shares; the engine's modules import them from here.
export {
  InvalidPredictionError,
  predictionProblems,
  assertValidPrediction,
  checkDecodedPrediction,
  clampBox,
  clampObjects,
} from "@vizflow/sdk";
