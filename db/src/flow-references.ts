/**
 * What saved flow versions refer to. The data layer knows no plugin code, so it reads the conventions of
 * saved node configs: actions that run a task carry its id in `config.task` (and labels of it as strings in
 * arrays, e.g. a Branch Selector's `branches`), and Nested Flow nodes (`core/nested-flow@<major>`) carry
 * the flow they run in `config.flow`. Only live (not deleted) flows count.
 */
import { sql, type Kysely } from "kysely";
import type { DB } from "./schema.js";

/** A flow whose saved versions refer to something. */
export interface FlowReference {
  readonly flowId: string;
  readonly flowName: string;
  /** The versions that refer to it, ascending. */
  readonly versions: readonly number[];
  readonly deployedVersion: number | undefined;
  /** The deployed version is one of `versions`: changing the referenced thing changes live calls. */
  readonly deployedVersionUses: boolean;
}

/** Action id prefix of the core Nested Flow action, any major version. */
export const NESTED_FLOW_ACTION_PREFIX = "core/nested-flow@";

const TASK_PATH = "$.nodes[*].config ? (@.task == $task)";
const NESTED_FLOW_PATH = `$.nodes[*] ? (@.action starts with "${NESTED_FLOW_ACTION_PREFIX}").config ? (@.flow == $flow)`;
const NESTED_FLOW_IDS_PATH = `$.nodes[*] ? (@.action starts with "${NESTED_FLOW_ACTION_PREFIX}").config.flow ? (@.type() == "string")`;

interface VersionRow {
  flow_id: string;
  flow_name: string;
  deployed_version: number | null;
  version: number;
}

/**
 * Flows with a saved version that uses task `taskId`, or with `label` given, that uses that label of it
 * (a node on the task whose config lists the label in an array).
 */
export async function findTaskReferences(
  db: Kysely<DB>,
  workspaceId: string,
  taskId: string,
  options: { readonly label?: string } = {},
): Promise<FlowReference[]> {
  const rows = await sql<VersionRow & { graph: unknown }>`
    select f.id as flow_id, f.name as flow_name, f.deployed_version, v.version,
      ${options.label === undefined ? sql`null` : sql`v.graph`} as graph
    from flow_version v join flow f on f.id = v.flow_id
    where f.workspace_id = ${workspaceId} and f.deleted_at is null
      and jsonb_path_exists(v.graph, cast(${TASK_PATH} as jsonpath), jsonb_build_object('task', cast(${taskId} as text)))
    order by f.name, f.id, v.version
  `.execute(db);
  const label = options.label;
  const matching =
    label === undefined ? rows.rows : rows.rows.filter((row) => graphUsesLabel(row.graph, taskId, label));
  return groupByFlow(matching);
}

/** Flows with a saved version that nests flow `flowId`. */
export async function findNestingFlows(db: Kysely<DB>, workspaceId: string, flowId: string): Promise<FlowReference[]> {
  const rows = await sql<VersionRow>`
    select f.id as flow_id, f.name as flow_name, f.deployed_version, v.version
    from flow_version v join flow f on f.id = v.flow_id
    where f.workspace_id = ${workspaceId} and f.deleted_at is null
      and jsonb_path_exists(v.graph, cast(${NESTED_FLOW_PATH} as jsonpath), jsonb_build_object('flow', cast(${flowId} as text)))
    order by f.name, f.id, v.version
  `.execute(db);
  return groupByFlow(rows.rows);
}

/** For each live flow of the workspace, the flow ids any of its saved versions nests. */
export async function listNestedFlowIds(db: Kysely<DB>, workspaceId: string): Promise<Map<string, string[]>> {
  const rows = await sql<{ flow_id: string; nested_flow_id: string }>`
    select distinct n.flow_id, n.nested_flow_id from (
      select v.flow_id, jsonb_path_query(v.graph, cast(${NESTED_FLOW_IDS_PATH} as jsonpath)) #>> '{}' as nested_flow_id
      from flow_version v join flow f on f.id = v.flow_id
      where f.workspace_id = ${workspaceId} and f.deleted_at is null
    ) n
    order by n.flow_id, n.nested_flow_id
  `.execute(db);
  const nested = new Map<string, string[]>();
  for (const row of rows.rows) {
    const ids = nested.get(row.flow_id) ?? [];
    ids.push(row.nested_flow_id);
    nested.set(row.flow_id, ids);
  }
  return nested;
}

function groupByFlow(rows: readonly VersionRow[]): FlowReference[] {
  const flows = new Map<string, { row: VersionRow; versions: number[] }>();
  for (const row of rows) {
    const flow = flows.get(row.flow_id) ?? { row, versions: [] };
    flow.versions.push(row.version);
    flows.set(row.flow_id, flow);
  }
  return [...flows.values()].map(({ row, versions }) => ({
    flowId: row.flow_id,
    flowName: row.flow_name,
    versions,
    deployedVersion: row.deployed_version ?? undefined,
    deployedVersionUses: row.deployed_version !== null && versions.includes(row.deployed_version),
  }));
}

function graphUsesLabel(graph: unknown, taskId: string, label: string): boolean {
  const nodes = isObject(graph) && Array.isArray(graph.nodes) ? graph.nodes : [];
  return nodes.some(
    (node) => isObject(node) && isObject(node.config) && node.config.task === taskId && listsValue(node.config, label),
  );
}

/** True when `value` holds `label` as an element of an array, at any depth. */
function listsValue(value: unknown, label: string): boolean {
  if (Array.isArray(value)) return value.some((item) => item === label || listsValue(item, label));
  if (isObject(value)) return Object.values(value).some((item) => listsValue(item, label));
  return false;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
