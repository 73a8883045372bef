/**
 * What moves with a flow between workspaces: the tasks and flows its nodes name (through each action's
 * `references`), and how an import rewrites them to the target workspace's own.
 */
import type { ActionRegistry, FlowGraph, FlowNode, Reference, WorkspaceCatalog } from "@vizflow/sdk";
import type { ExportedFlow, ExportedTask, FlowExport } from "./document";

/** A reference of a node, with the node it sits in. */
interface NodeReference {
  node: FlowNode;
  ref: Reference;
}

/** How a node is named to a user: its label, else its action's title (ids mean nothing to them). */
export function nodeTitle(node: FlowNode, registry: ActionRegistry): string {
  if (node.label !== undefined && node.label.trim() !== "") return `"${node.label}"`;
  const title = registry.get(node.action)?.definition.title;
  return title === undefined ? `the ${node.action} node` : `the ${title} node`;
}

function referencesOf(graph: FlowGraph, registry: ActionRegistry): NodeReference[] {
  const found: NodeReference[] = [];
  for (const node of graph.nodes) {
    const definition = registry.get(node.action)?.definition;
    if (!definition?.references) continue;
    let refs: readonly Reference[];
    try {
      refs = definition.references(node.config);
    } catch {
      // A config the action cannot read names nothing; the validator reports it on the node.
      continue;
    }
    for (const ref of refs) found.push({ node, ref });
  }
  return found;
}

/** The export file of a saved version: its graph and every task and nested flow it names. */
export function buildFlowExport(
  source: { name: string; version: number; message: string; graph: FlowGraph },
  registry: ActionRegistry,
  catalog: WorkspaceCatalog,
  exportedAt: Date,
): FlowExport {
  const tasks = new Map<string, ExportedTask>();
  const flows = new Map<string, ExportedFlow>();
  for (const { ref } of referencesOf(source.graph, registry)) {
    if (ref.kind === "task" && ref.id !== "" && !tasks.has(ref.id)) {
      const task = catalog.tasks.get(ref.id);
      if (task) tasks.set(ref.id, { ref: ref.id, name: task.name, type: task.type, labels: [...task.labels] });
    } else if (ref.kind === "flow" && ref.id !== "" && !flows.has(ref.id)) {
      const flow = catalog.flows.get(ref.id);
      if (flow) flows.set(ref.id, { ref: ref.id, name: flow.name });
    }
  }
  return {
    format: "vizflow.flow-export",
    formatVersion: 1,
    exportedAt: exportedAt.toISOString(),
    flow: { name: source.name, version: source.version, message: source.message },
    graph: source.graph,
    tasks: [...tasks.values()],
    flows: [...flows.values()],
  };
}

/** Nodes of the file that name a task or flow its `tasks`/`flows` do not list (a file edited by hand). */
export function unlistedReferences(document: FlowExport, registry: ActionRegistry): string[] {
  const problems: string[] = [];
  for (const { node, ref } of referencesOf(document.graph, registry)) {
    if (ref.kind === "service" || ref.id === "") continue;
    const listed = ref.kind === "task" ? document.tasks : document.flows;
    if (listed.some((item) => item.ref === ref.id)) continue;
    problems.push(
      `${nodeTitle(node, registry)} names ${ref.kind} "${ref.id}", which the file's "${ref.kind}s" does not list; export the flow again.`,
    );
  }
  return problems;
}

/** A label a node of the file names for one of its tasks (Branch Selector branches, Object Selector labels). */
export interface NeededLabel {
  node: string;
  label: string;
}

export interface TaskToMap extends ExportedTask {
  /** Labels the graph's nodes name for this task: the chosen task must have each of them. */
  needed: NeededLabel[];
  /** The workspace's task of the same name and type, if any: what the import uses unless told otherwise. */
  suggested: string | null;
}

export interface FlowToMap extends ExportedFlow {
  suggested: string | null;
}

/** What an import dialog lists: each task and flow of the file with its match in the workspace. */
export function importPreview(
  document: FlowExport,
  registry: ActionRegistry,
  target: WorkspaceCatalog,
): { tasks: TaskToMap[]; flows: FlowToMap[] } {
  const refs = referencesOf(document.graph, registry);
  const targetTasks = [...target.tasks.values()];
  const targetFlows = [...target.flows.values()];
  return {
    tasks: document.tasks.map((task) => ({
      ...task,
      needed: neededLabels(refs, task.ref, registry),
      suggested: targetTasks.find((t) => t.name === task.name && t.type === task.type)?.id ?? null,
    })),
    flows: document.flows.map((flow) => ({
      ...flow,
      suggested: targetFlows.find((f) => f.name === flow.name)?.id ?? null,
    })),
  };
}

function neededLabels(refs: readonly NodeReference[], taskRef: string, registry: ActionRegistry): NeededLabel[] {
  const needed: NeededLabel[] = [];
  for (const { node, ref } of refs) {
    if (ref.kind !== "task" || ref.id !== taskRef) continue;
    for (const label of ref.labels ?? []) needed.push({ node: nodeTitle(node, registry), label: label.name });
  }
  return needed;
}

/**
 * The user's mapping: file ref → workspace id, or null to leave the node's choice empty (the editor then
 * asks for it). A ref left out is mapped by name.
 */
export interface ImportChoices {
  tasks?: Readonly<Record<string, string | null>>;
  flows?: Readonly<Record<string, string | null>>;
}

export type ImportPlan = { ok: true; graph: FlowGraph } | { ok: false; reasons: string[] };

/** Sets the value at a JSON pointer of `target` (which exists: it came from the action's own references). */
function setAtPointer(target: Record<string, unknown>, pointer: string, value: unknown): void {
  const keys = pointer
    .split("/")
    .slice(1)
    .map((k) => k.replace(/~1/g, "/").replace(/~0/g, "~"));
  const last = keys.pop();
  if (last === undefined) return;
  let at: unknown = target;
  for (const key of keys) at = (at as Record<string, unknown>)[key];
  if (typeof at === "object" && at !== null) (at as Record<string, unknown>)[last] = value;
}

/**
 * Rewrites the file's graph for the target workspace, or says why it cannot: a task or flow with no
 * counterpart, a task of another type, or a label a node names that the chosen task lacks.
 */
export function planImport(
  document: FlowExport,
  registry: ActionRegistry,
  target: WorkspaceCatalog,
  choices: ImportChoices = {},
): ImportPlan {
  const reasons = unlistedReferences(document, registry);
  const preview = importPreview(document, registry, target);
  const taskIds = new Map<string, string | null>();
  for (const task of preview.tasks) {
    const chosen = choices.tasks?.[task.ref];
    const id = chosen === undefined ? task.suggested : chosen;
    const what = `task "${task.name}" (${task.type})`;
    if (id === null) {
      if (chosen === undefined)
        reasons.push(
          `The file's ${what} has no ${task.type} task of that name here; choose one of this workspace's tasks.`,
        );
      taskIds.set(task.ref, null);
      continue;
    }
    const mapped = target.tasks.get(id);
    if (!mapped) {
      reasons.push(`The task chosen for the file's ${what} does not exist in this workspace; choose another.`);
      continue;
    }
    if (mapped.type !== task.type) {
      reasons.push(
        `The file's ${what} cannot be mapped to "${mapped.name}", a ${mapped.type} task; choose a ${task.type} task.`,
      );
      continue;
    }
    for (const { node, label } of task.needed) {
      if (!mapped.labels.includes(label))
        reasons.push(`${node} names label "${label}", which task "${mapped.name}" lacks; choose a task that has it.`);
    }
    taskIds.set(task.ref, id);
  }
  const flowIds = new Map<string, string | null>();
  for (const flow of preview.flows) {
    const chosen = choices.flows?.[flow.ref];
    const id = chosen === undefined ? flow.suggested : chosen;
    if (id === null) {
      if (chosen === undefined)
        reasons.push(
          `The file's nested flow "${flow.name}" has no flow of that name here; choose one of this workspace's flows.`,
        );
      flowIds.set(flow.ref, null);
    } else if (!target.flows.has(id)) {
      reasons.push(
        `The flow chosen for the file's nested flow "${flow.name}" does not exist in this workspace; choose another.`,
      );
    } else flowIds.set(flow.ref, id);
  }
  const graph = structuredClone(document.graph);
  for (const { node, ref } of referencesOf(graph, registry)) {
    if (ref.kind === "service" || ref.id === "") continue;
    const id = (ref.kind === "task" ? taskIds : flowIds).get(ref.id);
    if (id !== undefined) setAtPointer(node.config, ref.path, id ?? "");
  }
  return reasons.length > 0 ? { ok: false, reasons } : { ok: true, graph };
}
