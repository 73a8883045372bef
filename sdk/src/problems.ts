/** Every problem a graph can have, each with a stable code (used by tests, the editor and the API). */
export type GraphProblemCode =
  | "invalid_document" // the JSON does not have the FlowGraph shape
  | "duplicate_id" // two nodes or two edges share an id
  | "unknown_action" // no plugin provides this action id
  | "unknown_action_version" // the action exists, but not in this major version
  | "plugin_disabled" // the action's plugin is enabled but was refused at start (the message says why)
  | "invalid_config" // config fails the action's JSON Schema
  | "unknown_handle" // edge.sourceHandle is not a handle of the source node
  | "unknown_edge_node" // edge source or target is not a node
  | "second_parent" // a node has more than one incoming edge
  | "cycle"
  | "missing_root"
  | "duplicate_root"
  | "root_has_parent"
  | "orphan_node" // not reachable from the root
  | "output_conflict" // concurrent siblings write the same field of the same scope
  | "unknown_task"
  | "wrong_task_type" // e.g. an Object Selector without a detection task
  | "unknown_label" // e.g. a Branch Selector branch that is not a label of its task
  | "unknown_flow"
  | "unknown_flow_version"
  | "unknown_service"
  | "nested_flow_recursion"
  | "nested_flow_too_deep"; // flows nest one another deeper than the engine runs

export interface GraphProblem {
  code: GraphProblemCode;
  /** A sentence a user can act on; it names the node (title and id), for API callers and logs. */
  message: string;
  /**
   * For a problem of one setting: what to do, said under that field in the editor's form (and beside the
   * node's title in its Problems list), e.g. "Choose a task."; `path` points at the field.
   */
  fieldMessage?: string;
  nodeId?: string;
  edgeId?: string;
  /** JSON pointer into the node's config (for config problems) or into the graph document. */
  path?: string;
}

/** Thrown where a single error must stop work (e.g. executing an invalid graph). */
export class GraphValidationError extends Error {
  readonly problems: readonly GraphProblem[];
  constructor(problems: readonly GraphProblem[]) {
    super(
      problems.length === 1
        ? (problems[0]?.message ?? "invalid flow graph")
        : `${problems.length} problems in the flow graph: ${problems.map((p) => p.message).join("; ")}`,
    );
    this.name = "GraphValidationError";
    this.problems = problems;
  }
}
