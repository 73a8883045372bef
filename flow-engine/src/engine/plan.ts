/**
 * Compiles a validated flow graph into an execution plan: each node with its action, its config-derived
 * facts (handles, writes, sibling rules, credits, timeout) and its children per handle in sibling order.
 */
import {
  childEdgesByHandle,
  factsOf,
  indexGraph,
  type ActionRegistry,
  type FlowGraph,
  type FlowNode,
  type HandleSpec,
  type JsonSchema,
  type RegisteredAction,
} from "@vizflow/sdk";

export interface PlanHandle {
  spec: HandleSpec;
  /** Children in sibling order (edge `order`, then document order). */
  children: readonly PlanNode[];
}

export interface PlanNode {
  id: string;
  label?: string;
  action: RegisteredAction;
  config: Record<string, unknown>;
  /** Every handle of the node for its config, with the children attached to it (possibly none). */
  handles: ReadonlyMap<string, PlanHandle>;
  writes: JsonSchema;
  /** Fields of the objects it returns besides name, prob and bound_box. */
  objectFields?: JsonSchema;
  /** At most one handle is taken per run. */
  exclusive: boolean;
  /** Children of a handle run one after another, each seeing what the previous ones wrote. */
  sequential: boolean;
  /** Declared credits per run on one scope (an output's `credits` overrides it). */
  credits: number;
  timeoutMs: number;
  /** Cap of the `objects` fan-out, when the action declares one. */
  maxObjects?: number;
}

export interface ExecutionPlan {
  /** The plan cache key for saved versions; absent for a draft graph. */
  key?: string;
  graph: FlowGraph;
  root: PlanNode;
  nodes: ReadonlyMap<string, PlanNode>;
}

/** Compiles a graph that `validateGraph` accepted; throws (a bug, not user input) when it is not a tree. */
export function compilePlan(
  graph: FlowGraph,
  registry: ActionRegistry,
  options: { defaultTimeoutMs: number; key?: string },
): ExecutionPlan {
  const index = indexGraph(graph);
  if (!index.root) throw new Error("cannot compile a flow graph without a core/input@1 node");
  const nodes = new Map<string, PlanNode>();
  const build = (node: FlowNode, depth: number): PlanNode => {
    if (depth > graph.nodes.length) throw new Error(`cannot compile a flow graph with a cycle through "${node.id}"`);
    const action = registry.get(node.action);
    if (!action) throw new Error(`node "${node.id}" uses action ${node.action}, which no enabled plugin provides`);
    const facts = factsOf(registry, action, node);
    const definition = facts.action.definition;
    const edgesByHandle = childEdgesByHandle(index, node.id);
    const handles = new Map<string, PlanHandle>();
    for (const spec of facts.handles) {
      const children = (edgesByHandle.get(spec.id) ?? []).map((edge) => {
        const child = index.nodes.get(edge.target);
        if (!child) throw new Error(`edge "${edge.id}" points at a missing node "${edge.target}"`);
        return build(child, depth + 1);
      });
      handles.set(spec.id, { spec, children });
    }
    for (const handle of edgesByHandle.keys()) {
      if (!handles.has(handle)) throw new Error(`node "${node.id}" has no handle "${handle}"`);
    }
    const planNode: PlanNode = {
      id: node.id,
      ...(node.label === undefined ? {} : { label: node.label }),
      action: facts.action,
      config: node.config,
      handles,
      writes: facts.writes,
      ...(facts.objectFields === undefined ? {} : { objectFields: facts.objectFields }),
      exclusive: facts.exclusive,
      sequential: facts.sequential,
      credits: registry.creditsOf(facts.action, node.config),
      timeoutMs: definition.timeoutMs ?? options.defaultTimeoutMs,
      ...(definition.maxObjects ? { maxObjects: definition.maxObjects(node.config) } : {}),
    };
    nodes.set(node.id, planNode);
    return planNode;
  };
  const root = build(index.root, 0);
  return { ...(options.key === undefined ? {} : { key: options.key }), graph, root, nodes };
}

/** Plans of saved flow versions (immutable, so a plan never goes stale), least recently used evicted first. */
export class PlanCache {
  readonly #plans = new Map<string, Promise<ExecutionPlan>>();

  constructor(readonly maxEntries = 200) {}

  /** The cached plan for `key`, or the one `load` makes; concurrent callers share one load. */
  get(key: string, load: () => Promise<ExecutionPlan>): Promise<ExecutionPlan> {
    const cached = this.#plans.get(key);
    if (cached) {
      this.#plans.delete(key);
      this.#plans.set(key, cached);
      return cached;
    }
    const loading = load();
    this.#plans.set(key, loading);
    // A failed load (unknown flow, invalid graph) is not cached: the next request tries again.
    loading.catch(() => {
      if (this.#plans.get(key) === loading) this.#plans.delete(key);
    });
    while (this.#plans.size > this.maxEntries) {
      const oldest = this.#plans.keys().next();
      if (oldest.done) break;
      this.#plans.delete(oldest.value);
    }
    return loading;
  }

  get size(): number {
    return this.#plans.size;
  }
}

/** The cache key of a saved flow version of a workspace. */
export function planKey(workspaceId: string, flowId: string, version: number): string {
  return `${workspaceId}/${flowId}@${version}`;
}
