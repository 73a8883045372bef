/** The model runtime: image decoding and preprocessing, ONNX sessions in worker threads, decoders. */
export { ImageError, ModelError, type ImageErrorCode, type ModelErrorCode } from "./errors.js";
export {
  decodeImage,
  DEFAULT_MAX_BYTES,
  DEFAULT_MAX_PIXELS,
  type DecodeOptions,
  type DecodedImage,
} from "./image/decode.js";
export { checkImageHeader, makeThumbnail } from "./image/thumbnail.js";
export { readImageHeader, type ImageHeader } from "./image/decode.js";
export {
  preprocessRegion,
  pixelsToTensor,
  DEFAULT_CROP_RATIO,
  type PixelRegion,
  type PreprocessResult,
  type Interpolation,
  INTERPOLATIONS,
  type TensorSpec,
} from "./image/preprocess.js";
export { DecodedScopeImage } from "./image/scope-image.js";
export {
  modelAdapterSchema,
  validateModelAdapter,
  adapterTensorSpec,
  type ModelAdapter,
  type AdapterProblem,
  type AdapterValidation,
} from "./adapter.js";
export { checkModelFits } from "./model-fit.js";
export { DecoderRegistry, BUILTIN_DECODERS, type DecoderProblem } from "./decoders/registry.js";
export { softmaxDecoder, sigmoidDecoder, identityDecoder, regressionDecoder } from "./decoders/classification.js";
export {
  ssdDecoder,
  ssdPriors,
  ULTRAFACE_PARAMS,
  ULTRAFACE_RAW_PARAMS,
  ULTRAFACE_PRIORS,
  type PriorSpec,
} from "./decoders/ssd.js";
export { yoloxDecoder } from "./decoders/yolox.js";
export { fastestDetDecoder } from "./decoders/fastestdet.js";
export { nms, iou, type Candidate } from "./decoders/nms.js";
export { DEFAULT_MAX_DETECTIONS } from "./decoders/common.js";
export {
  InferencePool,
  DEFAULT_SESSION_OPTIONS,
  type InferencePoolOptions,
  type InferencePoolStats,
  type ModelInfo,
  type ModelSource,
  type RunResult,
  type TensorInfo,
} from "./inference/inference-pool.js";
export { SessionCache, type Lease } from "./inference/session-cache.js";
export { stackBatch, splitBatch } from "./inference/batch.js";
export { InMemoryModelStore, type ModelStore, type ModelVersionRecord, type TaskModelResolver } from "./model-store.js";
export { ModelRuntime, type ModelRuntimeOptions, type LoadedModelVersion } from "./model-runtime.js";
export { checkModelVersion, type ModelCheckProblem, type ModelCheckResult } from "./model-check.js";
export { DynamicBatcher } from "./inference/batcher.js";
