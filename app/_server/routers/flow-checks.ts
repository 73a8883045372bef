import { nestingProblem, tooDeepNesting, workspaceCatalog, type NestingSource } from "@vizflow/flow-engine";
import { findDeployedVersion, findFlowVersion, type Database } from "@vizflow/db";
import {
  factsOf,
  FLOW_LIMITS,
  validateGraph,
  type ActionRegistry,
  type GraphProblem,
  type HandleSpec,
  type WorkspaceCatalog,
} from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { actionRegistry } from "../engine";

/** What the editor draws for a node from its action and config: handles, and whether children run in order. */
export interface NodeShape {
  handles: HandleSpec[];
  sequential: boolean;
}

export interface GraphCheck {
  problems: GraphProblem[];
  /** Per node id; absent for nodes whose action is unknown or whose handles could not be computed. */
  shapes: Record<string, NodeShape>;
}

/** Validates a graph of a flow of the workspace with the shared validator, and computes each node's shape. */
export async function checkGraph(
  db: Database["db"],
  workspaceId: string,
  flowId: string,
  graph: unknown,
): Promise<GraphCheck> {
  const registry = await actionRegistry();
  const catalog = { ...(await workspaceCatalog(db, workspaceId)), currentFlowId: flowId };
  const validation = validateGraph(graph, registry, catalog);
  const problems = [...validation.problems];
  // Depth needs the nested flows' own graphs, so it is checked here rather than by the shared validator.
  if (!problems.some((p) => p.code === "invalid_document" || p.code === "nested_flow_recursion")) {
    const deep = await nestingTooDeep(db, workspaceId, registry, catalog, flowId, graph);
    if (deep) problems.push(deep);
  }
  const shapes: Record<string, NodeShape> = {};
  const nodes = (graph as { nodes?: unknown }).nodes;
  if (Array.isArray(nodes)) {
    for (const node of nodes as { id?: unknown; action?: unknown; config?: unknown }[]) {
      if (typeof node.id !== "string" || typeof node.action !== "string") continue;
      const action = registry.get(node.action);
      if (!action || typeof node.config !== "object" || node.config === null) continue;
      try {
        const facts = factsOf(registry, action, node as Parameters<typeof factsOf>[2]);
        shapes[node.id] = { handles: [...facts.handles], sequential: facts.sequential };
      } catch {
        // A config the action cannot compute handles from is reported by the validator as invalid config.
      }
    }
  }
  return { problems, shapes };
}

/** Reads nested flows' saved versions; `deployed` overrides which version a flow has deployed. */
function databaseNesting(
  db: Database["db"],
  workspaceId: string,
  deployed?: ReadonlyMap<string, number>,
): NestingSource {
  return {
    async graph(flowId, version) {
      const resolved =
        version === "deployed"
          ? (deployed?.get(flowId) ?? (await findDeployedVersion(db, workspaceId, flowId)))
          : version;
      if (resolved === undefined) return undefined;
      return (await findFlowVersion(db, workspaceId, flowId, resolved))?.graph;
    },
  };
}

/** The nested_flow_too_deep problem of `graph` (as flow `flowId`), or undefined when it nests few enough. */
async function nestingTooDeep(
  db: Database["db"],
  workspaceId: string,
  registry: ActionRegistry,
  catalog: WorkspaceCatalog,
  flowId: string,
  graph: unknown,
  deployed?: ReadonlyMap<string, number>,
): Promise<GraphProblem | undefined> {
  const max = FLOW_LIMITS.maxNestingDepth;
  const chain = await tooDeepNesting(registry, databaseNesting(db, workspaceId, deployed), graph, max, flowId);
  if (!chain) return undefined;
  const name = (id: string) => catalog.flows.get(id)?.name;
  return nestingProblem(chain, max, name, name(flowId));
}

/**
 * Refuses to deploy `version` when the flows would then nest too deep: the version's own chain, or that of
 * a deployed flow that runs this flow's deployed version (directly or through others), naming the chain.
 */
export async function requireDeployableNesting(
  db: Database["db"],
  workspaceId: string,
  flowId: string,
  version: number,
): Promise<void> {
  const saved = await findFlowVersion(db, workspaceId, flowId, version);
  if (!saved) return; // deployFlowVersion says which versions exist
  const registry = await actionRegistry();
  const catalog = await workspaceCatalog(db, workspaceId);
  const deployed = new Map([[flowId, version]]);
  const own = await nestingTooDeep(db, workspaceId, registry, catalog, flowId, saved.graph, deployed);
  if (own) throw refusal(`Version ${version} cannot be deployed: ${own.message}`);
  // Flows above this one: those whose saved versions nest it, and those above them.
  const above = new Set<string>();
  let frontier = new Set([flowId]);
  while (frontier.size > 0) {
    const next = new Set<string>();
    for (const flow of catalog.flows.values()) {
      if (flow.id === flowId || above.has(flow.id)) continue;
      if (flow.nestedFlowIds.some((id) => frontier.has(id))) next.add(flow.id);
    }
    for (const id of next) above.add(id);
    frontier = next;
  }
  for (const id of above) {
    const top = catalog.flows.get(id);
    if (top?.deployedVersion === undefined) continue;
    const graph = (await findFlowVersion(db, workspaceId, id, top.deployedVersion))?.graph;
    const deep = await nestingTooDeep(db, workspaceId, registry, catalog, id, graph, deployed);
    if (deep) {
      throw refusal(
        `Version ${version} cannot be deployed: "${top.name}" (deployed version ${top.deployedVersion}) runs this flow's deployed version, and then: ${deep.message}`,
      );
    }
  }
}

function refusal(message: string): TRPCError {
  return new TRPCError({ code: "BAD_REQUEST", message });
}

/** Refuses to save a graph with problems, listing them; the editor shows each on its node. */
export async function requireValidGraph(
  db: Database["db"],
  workspaceId: string,
  flowId: string,
  graph: unknown,
): Promise<void> {
  const { problems } = await checkGraph(db, workspaceId, flowId, graph);
  if (problems.length === 0) return;
  const shown = problems.slice(0, 3).map((p) => p.message);
  throw new TRPCError({
    code: "BAD_REQUEST",
    message: `The flow has ${problems.length} problem${problems.length === 1 ? "" : "s"}; fix ${
      problems.length === 1 ? "it" : "them"
    } before saving a version: ${shown.join(" ")}${problems.length > 3 ? " …" : ""}`,
  });
}
