/** @vizflow/flow-engine: the graph compiler and executor (runtime and HTTP API join here as they land). */
export * from "./engine/index.js";
