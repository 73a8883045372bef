/**
 * Limits on what a saved flow graph may hold, so nothing a user or a script sends can store a document
 * the editor, the engine or the database chokes on. README.md "Flow graph limits" lists them.
 */
export const FLOW_LIMITS = {
  /** Nodes of one graph. */
  maxNodes: 500,
  /** Edges of one graph (a valid tree has one less than its nodes; an invalid draft may have more). */
  maxEdges: 1_000,
  /** Characters of a node id, an edge id, and an edge's `source` and `target`. */
  maxIdLength: 100,
  /** Characters of an action id such as `core/recognition@1`. */
  maxActionLength: 100,
  /** Characters of an edge's `sourceHandle` (`branch:<label>` with a task label of up to 200 characters). */
  maxHandleLength: 300,
  /** Characters of a node's label (its title on the canvas). */
  maxNodeLabelLength: 200,
  /** Characters of any string in a node's config (a task label, a field path, a service setting). */
  maxConfigStringLength: 2_000,
  /** Characters of a key in a node's config. */
  maxConfigKeyLength: 100,
  /** Items of any array in a node's config (a task has at most 10,000 labels). */
  maxConfigArrayItems: 10_000,
  /** Levels of objects and arrays nested in a node's config. */
  maxConfigDepth: 16,
  /** Bytes of the whole graph as JSON. */
  maxGraphBytes: 5 * 1024 * 1024,
  /** Characters of a flow's name. */
  maxFlowNameLength: 100,
  /** Characters of a version's message. */
  maxVersionMessageLength: 500,
  /** Flows run inside one another at most this deep: a flow may nest a flow that nests … up to 5 levels. */
  maxNestingDepth: 5,
} as const;
