/** Test kit for plugin authors: run one action on an image with fake or real models, or one decoder on outputs. */
export { runAction, ActionContractError, type RunActionOptions } from "./run-action.js";
export { runDecoder, DecoderContractError, type RunDecoderOptions } from "./run-decoder.js";
export { InvalidPredictionError } from "../prediction-checks.js";
export {
  fakeModels,
  type FakeModelsSpec,
  type FakePrediction,
  type FakeModelCall,
  type ModelHostFactory,
  type ScopeView,
} from "./fake-models.js";
export { TestScopeImage, cropImage, resizeImage, imageToTensor, pixelBox, type FloatTensor } from "./image.js";
export { decodeImage, type ImageDecoder } from "./decode.js";
