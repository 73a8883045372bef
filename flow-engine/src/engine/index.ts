/** The flow engine core: plans, execution, traces, and the interfaces to what lives elsewhere. */
export {
  DEFAULT_LIMITS,
  FlowEngine,
  TooManyRecordsError,
  type EngineLimits,
  type FlowEngineOptions,
  type FlowSelector,
  type PreparedFlow,
  type ProcessOptions,
  type ProcessResult,
  type RecordResult,
} from "./engine.js";
export { FlowNotFoundError, NodeTimeoutError, describeFailure, type NodeFailure } from "./errors.js";
export type { ExecutionLimits } from "./executor.js";
export { nestingProblem, tooDeepNesting, type NestingSource, type NestingStep } from "./nesting.js";
export { compilePlan, PlanCache, planKey, type ExecutionPlan, type PlanHandle, type PlanNode } from "./plan.js";
export {
  PixelBudget,
  PixelBudgetBusyError,
  RequestPixelsError,
  type PixelBudgetOptions,
  type ReleasePixels,
} from "./pixel-budget.js";
export { decodeBase64 } from "./record-input.js";
export type {
  FetchImage,
  FlowSource,
  FlowVersion,
  DecodeHints,
  RecordImageHeader,
  ImageRuntime,
  RecordImage,
  TaskInfo,
  TaskSource,
  Workspace,
} from "./sources.js";
export type { NodeTrace, TraceScope } from "./trace.js";
export { onnxImageRuntime, type OnnxImageRuntimeOptions } from "./onnx-image-runtime.js";
