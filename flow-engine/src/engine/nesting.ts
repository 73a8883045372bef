/**
 * How deep flows nest: the engine runs a Nested Flow at most `maxNestingDepth` levels below the flow a call
 * starts in. Checked when a version is saved or deployed and when a request is prepared, so a flow that
 * would nest deeper is refused with the chain of flows named, instead of failing every call.
 */
import type { ActionRegistry, FlowGraph, GraphProblem } from "@vizflow/sdk";

/** Reads the graphs of the flows a graph nests. */
export interface NestingSource {
  /** The graph of a saved version (`"deployed"`: the deployed one); undefined when there is none. */
  graph(flowId: string, version: number | "deployed"): Promise<unknown>;
}

/** One level of a chain: the node that runs a flow, and the flow it runs. */
export interface NestingStep {
  /** The node (in the flow one level up) that runs `flowId`. */
  nodeId: string;
  /** Config pointer of the node's flow setting. */
  path: string;
  flowId: string;
  version: number | "deployed";
}

interface FlowRef {
  nodeId: string;
  path: string;
  flowId: string;
  version: number | "deployed";
}

/** The flows a graph's nodes run, as their actions declare them; nodes that cannot say are skipped. */
function flowRefs(registry: ActionRegistry, graph: unknown): FlowRef[] {
  const nodes = (graph as Partial<FlowGraph> | null)?.nodes;
  if (!Array.isArray(nodes)) return [];
  const refs: FlowRef[] = [];
  for (const node of nodes) {
    const action = typeof node.action === "string" ? registry.get(node.action) : undefined;
    if (!action?.definition.references || typeof node.config !== "object" || node.config === null) continue;
    try {
      for (const ref of action.definition.references(node.config)) {
        if (ref.kind === "flow" && ref.id !== "") {
          refs.push({ nodeId: node.id, path: ref.path, flowId: ref.id, version: ref.version ?? "deployed" });
        }
      }
    } catch {
      // A config the action cannot read is reported by the validator.
    }
  }
  return refs;
}

/**
 * The first chain of nested flows under `graph` that goes deeper than `maxDepth` levels, or undefined.
 * A flow already on the chain is not followed again (recursion is the validator's to report).
 *
 * @example
 * const chain = await tooDeepNesting(registry, source, graph, 5, flowId);
 * if (chain) console.log(chain.map((step) => step.flowId).join(" → "));
 */
export async function tooDeepNesting(
  registry: ActionRegistry,
  source: NestingSource,
  graph: unknown,
  maxDepth: number,
  topFlowId?: string,
): Promise<NestingStep[] | undefined> {
  // The deepest level each flow version was explored at without going too deep: reaching it again at the
  // same level or above cannot go deeper.
  const explored = new Map<string, number>();
  const graphs = new Map<string, Promise<unknown>>();
  const load = (flowId: string, version: number | "deployed") => {
    const key = `${flowId}@${version}`;
    let read = graphs.get(key);
    if (!read) {
      read = source.graph(flowId, version);
      graphs.set(key, read);
    }
    return read;
  };
  const walk = async (current: unknown, chain: NestingStep[]): Promise<NestingStep[] | undefined> => {
    for (const ref of flowRefs(registry, current)) {
      const next = [...chain, { nodeId: ref.nodeId, path: ref.path, flowId: ref.flowId, version: ref.version }];
      if (ref.flowId === topFlowId || chain.some((step) => step.flowId === ref.flowId)) continue;
      const nested = await load(ref.flowId, ref.version);
      if (nested === undefined) continue;
      // The flow `next.length` levels down would run past the limit (the engine runs it, then refuses it).
      if (next.length > maxDepth) return next;
      const key = `${ref.flowId}@${ref.version}`;
      if ((explored.get(key) ?? Number.POSITIVE_INFINITY) <= next.length) continue;
      const found = await walk(nested, next);
      if (found) return found;
      explored.set(key, next.length);
    }
    return undefined;
  };
  return walk(graph, []);
}

/**
 * The problem to report for a chain that is too deep: on the node of the top flow that starts it, naming
 * every flow of the chain by name (`names`), the top one as `topName`.
 */
export function nestingProblem(
  chain: readonly NestingStep[],
  maxDepth: number,
  names: (flowId: string) => string | undefined,
  topName: string | undefined,
): GraphProblem {
  const [first] = chain;
  const shown = chain.map((step) => `"${names(step.flowId) ?? step.flowId}"`);
  const route = [topName === undefined ? "this flow" : `"${topName}"`, ...shown].join(" → ");
  const levels = chain.length;
  return {
    code: "nested_flow_too_deep",
    message: `Flows nest ${levels} levels deep here (${route}), but flows run at most ${maxDepth} level${maxDepth === 1 ? "" : "s"} inside one another; run a flow that nests fewer flows, or put the steps of the deepest ones into their parent.`,
    fieldMessage: `This runs flows ${levels} levels deep (${route}); at most ${maxDepth} are run. Choose a flow that nests fewer flows.`,
    ...(first ? { nodeId: first.nodeId, path: first.path } : {}),
  };
}
