/** @vizflow/flow-engine: the graph compiler and executor, and the model runtime behind it. */
export * from "./engine/index.js";
export * from "./runtime/index.js";
export { DatabaseModelStore, databaseWorkspace, workspaceCatalog } from "./stores/index.js";
export * from "./stores/index.js";
export * from "./plugins/index.js";
export * from "./evaluation/index.js";
export * from "./datasets/index.js";
export * from "./http/index.js";
export { engineConfigFromEnv, type EngineServerConfig } from "./server/config.js";
export { closeGracefully } from "./server/close-gracefully.js";
export { assembleEngine, assembleModelRuntime, type AssembledEngine, type AssembleOptions } from "./server/assemble.js";
