/** The engine's sources backed by `@vizflow/db`: workspaces (flows, tasks, catalog) and model versions. */
export { DatabaseModelStore } from "./database-model-store.js";
export { databaseWorkspace, workspaceCatalog } from "./database-workspace.js";
