import type { WorkspaceCatalog } from "../catalog.js";
import type { FlowGraph } from "../graph.js";
import { indexGraph } from "../graph-index.js";
import type { GraphProblem } from "../problems.js";
import type { ActionRegistry } from "../registry.js";
import { checkOutputConflicts } from "./conflicts.js";
import { checkActionsAndConfigs, checkHandles } from "./node-checks.js";
import { checkReferences } from "./references.js";
import { checkGraphDocument } from "./document.js";
import { ValidationState } from "./state.js";
import { checkCycles, checkDuplicateIds, checkEdgeEnds, checkOrphans, checkParents, checkRoot } from "./structure.js";

export type GraphValidation = { ok: true; graph: FlowGraph; problems: [] } | { ok: false; problems: GraphProblem[] };

/**
 * Checks a saved (or edited) flow graph against the enabled actions and the workspace, and returns every
 * problem at once. The same check runs in the editor, on save and in the engine.
 *
 * @example
 * const result = validateGraph(JSON.parse(body), registry, catalog);
 * if (!result.ok) for (const p of result.problems) console.log(p.code, p.nodeId, p.message);
 */
export function validateGraph(graph: unknown, registry: ActionRegistry, catalog: WorkspaceCatalog): GraphValidation {
  const shape = checkGraphDocument(graph);
  // Nothing else can be checked on a document of the wrong shape or size.
  if (shape.length > 0) return { ok: false, problems: shape };
  const document = graph as FlowGraph;
  const state = new ValidationState(document, indexGraph(document), registry, catalog);
  checkDuplicateIds(state);
  checkActionsAndConfigs(state);
  checkEdgeEnds(state);
  checkHandles(state);
  checkRoot(state);
  checkParents(state);
  const onCycles = checkCycles(state);
  checkOrphans(state, onCycles);
  checkOutputConflicts(state);
  checkReferences(state);
  return state.problems.length === 0
    ? { ok: true, graph: document, problems: [] }
    : { ok: false, problems: state.problems };
}
