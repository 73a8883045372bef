import type { WorkspaceCatalog } from "../catalog.js";
import type { FlowGraph, FlowNode } from "../graph.js";
import type { GraphIndex } from "../graph-index.js";
import type { NodeFacts } from "../node-facts.js";
import type { GraphProblem } from "../problems.js";
import type { ActionRegistry, RegisteredAction } from "../registry.js";
import { nodeName } from "./messages.js";

/** Shared by the checks of one `validateGraph` call; each check appends to `problems`. */
export class ValidationState {
  readonly problems: GraphProblem[] = [];
  /** Resolved actions of nodes whose action id is known (first node of each id). */
  readonly actions = new Map<string, RegisteredAction>();
  /** Facts of nodes whose config is valid and whose plugin computed handles and writes. */
  readonly facts = new Map<string, NodeFacts>();
  readonly #nodePositions = new Map<string, number>();
  readonly #edgePositions = new Map<string, number>();

  constructor(
    readonly graph: FlowGraph,
    readonly index: GraphIndex,
    readonly registry: ActionRegistry,
    readonly catalog: WorkspaceCatalog,
  ) {
    graph.nodes.forEach((node, i) => {
      if (!this.#nodePositions.has(node.id)) this.#nodePositions.set(node.id, i);
    });
    graph.edges.forEach((edge, i) => {
      if (!this.#edgePositions.has(edge.id)) this.#edgePositions.set(edge.id, i);
    });
  }

  report(problem: GraphProblem): void {
    this.problems.push(problem);
  }

  /** The node named for a message. */
  name(node: FlowNode | string): string {
    const found = typeof node === "string" ? this.index.nodes.get(node) : node;
    if (!found) return `node "${typeof node === "string" ? node : node.id}"`;
    return nodeName(found, this.actions.get(found.id));
  }

  /** JSON pointer of a node (or one of its properties) in the graph document. */
  nodePath(nodeId: string, property?: string): string | undefined {
    const at = this.#nodePositions.get(nodeId);
    if (at === undefined) return undefined;
    return property === undefined ? `/nodes/${at}` : `/nodes/${at}/${property}`;
  }

  edgePath(edgeId: string, property?: string): string | undefined {
    const at = this.#edgePositions.get(edgeId);
    if (at === undefined) return undefined;
    return property === undefined ? `/edges/${at}` : `/edges/${at}/${property}`;
  }
}

/** Spreads an optional `path` into a problem (exactOptionalPropertyTypes-friendly). */
export function withPath(path: string | undefined): { path?: string } {
  return path === undefined ? {} : { path };
}
