import { workspaceCatalog } from "@vizflow/flow-engine";
import type { Database } from "@vizflow/db";
import { factsOf, validateGraph, type GraphProblem, type HandleSpec } from "@vizflow/sdk";
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
  return { problems: validation.problems, shapes };
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
