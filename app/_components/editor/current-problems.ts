/**
 * The server's problems of the draft, less those an edit made since has answered: the check lags an edit by
 * a moment, and "Choose a task." under a task just chosen reads as a fault. A problem of one setting is kept
 * while that setting is as the check saw it; the next check says again whatever is still wrong.
 */
import type { FlowGraph, GraphProblem } from "@vizflow/sdk";

/** The value at a JSON pointer (`/conditions/0/value`) in a config, or undefined. */
function valueAt(config: unknown, pointer: string): unknown {
  let at = config;
  for (const raw of pointer.split("/").slice(1)) {
    const key = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string, unknown>)[key];
  }
  return at;
}

export function currentProblems(
  problems: readonly GraphProblem[],
  checkedGraph: FlowGraph | undefined,
  graph: FlowGraph,
): GraphProblem[] {
  if (checkedGraph === undefined || checkedGraph === graph) return [...problems];
  const now = new Map(graph.nodes.map((n) => [n.id, n]));
  const then = new Map(checkedGraph.nodes.map((n) => [n.id, n]));
  return problems.filter((problem) => {
    if (problem.nodeId === undefined) return true;
    const node = now.get(problem.nodeId);
    // A node deleted since has no problems left.
    if (node === undefined) return false;
    if (problem.path === undefined || problem.path === "" || problem.edgeId !== undefined) return true;
    const checked = then.get(problem.nodeId);
    if (checked === undefined || checked.action !== node.action) return true;
    return JSON.stringify(valueAt(checked.config, problem.path)) === JSON.stringify(valueAt(node.config, problem.path));
  });
}
