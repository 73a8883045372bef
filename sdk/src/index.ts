export * from "./graph.js";
export * from "./graph-schema.js";
export * from "./graph-index.js";
export * from "./problems.js";
export * from "./records.js";
export * from "./action.js";
export * from "./catalog.js";
export * from "./registry.js";
export * from "./taken-ids.js";
export { pluginProblems, type PluginCheckOptions } from "./check-plugin.js";
export { factsOf, writtenFields, type NodeFacts } from "./node-facts.js";
export { validateGraph, type GraphValidation } from "./validation/validate-graph.js";
export { checkGraphDocument } from "./validation/document.js";
export { closestNames } from "./validation/closest.js";
export { disabledPluginName } from "./validation/messages.js";
export { FLOW_LIMITS } from "./limits.js";
export {
  compileSchema,
  checkAgainstSchema,
  type CompiledSchema,
  type SchemaViolation,
} from "./validation/schema-cache.js";
export * from "./migrate.js";
export * from "./prediction-checks.js";
export * from "./field-paths.js";
export * from "./credits.js";
export * from "./labels.js";
