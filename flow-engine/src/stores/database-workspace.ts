/** The engine's view of one workspace, read from `@vizflow/db`. */
import {
  findDeployedVersion,
  findFlowVersion,
  findTaskModel,
  listFlows,
  listNestedFlowIds,
  listTasks,
  type Database,
} from "@vizflow/db";
import type { FlowSummary, TaskSummary, WorkspaceCatalog } from "@vizflow/sdk";
import type { FlowSource, TaskInfo, TaskSource, Workspace } from "../engine/sources.js";

/**
 * A Workspace backed by the database: every read is scoped to `workspaceId` in the query, so ids of
 * another workspace read as absent. Make one per request: it remembers each task it read, so a request
 * that runs a task on many object crops asks the database once, and sees one active model version
 * throughout even when another is activated meanwhile.
 *
 * @example
 * const result = await engine.run(databaseWorkspace(database.db, workspaceId), { flowId, version: "deployed" }, records);
 */
export function databaseWorkspace(db: Database["db"], workspaceId: string): Workspace {
  const flows: FlowSource = {
    async flowVersion(flowId, version) {
      const saved = await findFlowVersion(db, workspaceId, flowId, version);
      return saved && { flowId: saved.flowId, version: saved.version, graph: saved.graph };
    },
    deployedVersion: (flowId) => findDeployedVersion(db, workspaceId, flowId),
  };
  const taskReads = new Map<string, Promise<TaskInfo | undefined>>();
  const tasks: TaskSource = {
    task(taskId) {
      let read = taskReads.get(taskId);
      if (!read) {
        read = readTask(db, workspaceId, taskId);
        taskReads.set(taskId, read);
        // A failed read (e.g. a dropped connection) is not remembered: the next scope asks again.
        void read.catch(() => taskReads.delete(taskId));
      }
      return read;
    },
  };
  return {
    id: workspaceId,
    flows,
    tasks,
    catalog: () => workspaceCatalog(db, workspaceId),
  };
}

async function readTask(db: Database["db"], workspaceId: string, taskId: string): Promise<TaskInfo | undefined> {
  const task = await findTaskModel(db, workspaceId, taskId);
  if (!task) return undefined;
  const info: TaskInfo = { id: task.id, type: task.type };
  if (task.activeModelVersionId !== undefined) info.activeModelVersionId = task.activeModelVersionId;
  return info;
}

/** A snapshot of the workspace's tasks and flows for graph validation. */
export async function workspaceCatalog(db: Database["db"], workspaceId: string): Promise<WorkspaceCatalog> {
  const [taskRows, flowRows, nested] = await Promise.all([
    listTasks(db, workspaceId),
    listFlows(db, workspaceId),
    listNestedFlowIds(db, workspaceId),
  ]);
  const taskSummaries = new Map<string, TaskSummary>(
    taskRows.map((t) => [t.id, { id: t.id, name: t.name, type: t.type, labels: t.labels }]),
  );
  const flowSummaries = new Map<string, FlowSummary>();
  for (const f of flowRows) {
    const summary: FlowSummary = {
      id: f.id,
      name: f.name,
      // Version numbers are gap-free (1 … latest): the data layer numbers saves under the flow's row lock.
      versions: Array.from({ length: f.latestVersion ?? 0 }, (_, i) => i + 1),
      nestedFlowIds: nested.get(f.id) ?? [],
    };
    if (f.deployedVersion !== undefined) summary.deployedVersion = f.deployedVersion;
    flowSummaries.set(f.id, summary);
  }
  return { tasks: taskSummaries, flows: flowSummaries };
}
