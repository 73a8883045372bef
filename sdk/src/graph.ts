/**
 * The saved flow graph: one immutable JSON document per flow version.
 * See DESIGN.md "Flow graph". Pure data, shared by the editor, tRPC and the engine.
 */

/** Version of the graph document format. Bumped only with a migration. */
export const FLOW_GRAPH_SCHEMA_VERSION = 1;

/** Action id of the root node: the incoming record. */
export const INPUT_ACTION = "core/input@1";

export interface FlowGraph {
  schema: typeof FLOW_GRAPH_SCHEMA_VERSION;
  nodes: FlowNode[];
  edges: FlowEdge[];
}

export interface FlowNode {
  id: string;
  /** `<plugin>/<action>@<major>`, e.g. `core/recognition@1`. */
  action: string;
  config: Record<string, unknown>;
  position: { x: number; y: number };
  label?: string;
}

export interface FlowEdge {
  id: string;
  source: string;
  /** One of the source action's output handles (`next`, `branch:<label>`, `else`, `objects`, `true`, `false`). */
  sourceHandle: string;
  target: string;
  /** Position among siblings; matters under a List in `sequence` mode. */
  order?: number;
}

/** A parsed action reference `<plugin>/<action>@<major>`. */
export interface ActionRef {
  plugin: string;
  action: string;
  major: number;
}

const ACTION_REF = /^([a-z0-9][a-z0-9-]*)\/([a-z0-9][a-z0-9-]*)@([1-9][0-9]*)$/;

/** Parses `core/recognition@1`; returns undefined when the text is not an action reference. */
export function parseActionRef(text: string): ActionRef | undefined {
  const match = ACTION_REF.exec(text);
  if (!match) return undefined;
  const [, plugin, action, major] = match;
  if (plugin === undefined || action === undefined || major === undefined) return undefined;
  return { plugin, action, major: Number(major) };
}

export function formatActionRef(ref: ActionRef): string {
  return `${ref.plugin}/${ref.action}@${ref.major}`;
}
