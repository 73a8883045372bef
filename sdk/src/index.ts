export * from "./graph.js";
export * from "./problems.js";
export * from "./records.js";
export * from "./action.js";
export * from "./catalog.js";
export * from "./registry.js";
