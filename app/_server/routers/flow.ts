import {
  createFlow,
  deleteFlow,
  findFlow,
  findFlowDraft,
  findFlowVersion,
  listFlows,
  putFlowDraft,
  renameFlow,
} from "@vizflow/db";
import { checkGraphDocument, FLOW_GRAPH_SCHEMA_VERSION, INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, workspaceProcedure } from "../trpc";
import { flowId, flowName, graphInput } from "./flow-inputs";

/** The graph of a new flow: just the input node, where every flow starts. */
export function emptyGraph(): FlowGraph {
  return {
    schema: FLOW_GRAPH_SCHEMA_VERSION,
    nodes: [{ id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 }, label: "Input" }],
    edges: [],
  };
}

type Db = Parameters<typeof findFlow>[0];
type Flow = NonNullable<Awaited<ReturnType<typeof findFlow>>>;

/** What the editor opens; `notice` says why it is not the autosaved draft when that could not be read. */
export interface OpenedDraft {
  graph: FlowGraph;
  baseVersion: number | undefined;
  updatedAt: Date;
  notice?: string;
}

/**
 * The draft when it has the FlowGraph shape (its semantic problems are the editor's to show), else the
 * latest version, else a new graph. A draft stored before drafts were checked may be unreadable: it is
 * kept until the next autosave replaces it, and the notice says what was opened instead.
 */
async function openDraft(db: Db, workspaceId: string, flow: Flow): Promise<OpenedDraft> {
  const draft = await findFlowDraft(db, workspaceId, flow.id);
  let notice: string | undefined;
  if (draft) {
    const problems = checkGraphDocument(draft.graph);
    if (problems.length === 0) {
      return { graph: draft.graph as FlowGraph, baseVersion: draft.baseVersion, updatedAt: draft.updatedAt };
    }
    const why = problems
      .slice(0, 2)
      .map((p) => p.message)
      .join(" ");
    notice = `The autosaved draft could not be read (${why}), so `;
  }
  const latest =
    flow.latestVersion === undefined ? undefined : await findFlowVersion(db, workspaceId, flow.id, flow.latestVersion);
  // Versions are checked when saved; one that no longer reads opens as a new graph too.
  if (latest && checkGraphDocument(latest.graph).length === 0) {
    return {
      graph: latest.graph as FlowGraph,
      baseVersion: latest.version,
      updatedAt: latest.createdAt,
      ...(notice === undefined ? {} : { notice: `${notice}version ${latest.version}, the latest, is open instead.` }),
    };
  }
  return {
    graph: emptyGraph(),
    baseVersion: latest?.version,
    updatedAt: flow.createdAt,
    ...(notice === undefined
      ? {}
      : { notice: `${notice}a new graph is open instead (this flow has no saved version).` }),
  };
}

/** Refuses a graph that does not have the FlowGraph shape or breaks a limit, naming the fields. */
function requireGraphDocument(graph: unknown, what: string): void {
  const problems = checkGraphDocument(graph);
  if (problems.length === 0) return;
  throw new TRPCError({
    code: "BAD_REQUEST",
    message: `${what} was not saved: ${problems
      .slice(0, 5)
      .map((p) => p.message)
      .join(" ")}${problems.length > 5 ? ` …and ${problems.length - 5} more.` : ""}`,
  });
}

function notFound(): TRPCError {
  return new TRPCError({
    code: "NOT_FOUND",
    message: "This flow does not exist in this workspace (it may have been deleted).",
  });
}

export const flowRouter = router({
  /** The workspace's flows, newest first, with latest and deployed version and when each was last called. */
  list: workspaceProcedure("viewer")
    .input(z.object({ search: z.string().max(100).optional() }))
    .query(({ ctx, input }) => listFlows(ctx.database.db, ctx.workspace.id, { search: input.search ?? "" })),

  get: workspaceProcedure("viewer")
    .input(z.object({ flowId }))
    .query(async ({ ctx, input }) => {
      const flow = await findFlow(ctx.database.db, ctx.workspace.id, input.flowId);
      if (!flow) throw notFound();
      return flow;
    }),

  /** Creates a flow whose draft is the input node alone. */
  create: workspaceProcedure("editor")
    .input(z.object({ name: flowName }))
    .mutation(async ({ ctx, input }) => {
      const flow = await createFlow(ctx.database.db, ctx.workspace.id, {
        name: input.name,
        createdBy: ctx.user.id,
        graph: emptyGraph(),
      });
      return { id: flow.id };
    }),

  rename: workspaceProcedure("editor")
    .input(z.object({ flowId, name: flowName }))
    .mutation(({ ctx, input }) => renameFlow(ctx.database.db, ctx.workspace.id, input.flowId, input.name)),

  /** A new flow whose draft is this flow's draft (or its latest version); versions are not copied. */
  duplicate: workspaceProcedure("editor")
    .input(z.object({ flowId, name: flowName }))
    .mutation(async ({ ctx, input }) => {
      const db = ctx.database.db;
      const source = await findFlow(db, ctx.workspace.id, input.flowId);
      if (!source) throw notFound();
      const { graph } = await openDraft(db, ctx.workspace.id, source);
      const flow = await createFlow(db, ctx.workspace.id, { name: input.name, createdBy: ctx.user.id, graph });
      return { id: flow.id };
    }),

  /** Deletes a flow; refused while another flow nests it. */
  delete: workspaceProcedure("editor")
    .input(z.object({ flowId }))
    .mutation(({ ctx, input }) => deleteFlow(ctx.database.db, ctx.workspace.id, input.flowId)),

  /**
   * What the editor opens: the autosaved draft when there is one, else the latest version, else a new
   * graph; `baseVersion` is the version the draft started from (undefined before the first save). An
   * unreadable draft opens the latest version instead, with a `notice` saying so.
   */
  draft: workspaceProcedure("viewer")
    .input(z.object({ flowId }))
    .query(async ({ ctx, input }): Promise<OpenedDraft> => {
      const flow = await findFlow(ctx.database.db, ctx.workspace.id, input.flowId);
      if (!flow) throw notFound();
      return openDraft(ctx.database.db, ctx.workspace.id, flow);
    }),

  /**
   * Autosave: replaces the draft (the last write wins; versions are what is immutable). The draft must have
   * the FlowGraph shape and keep to the limits; its other problems are saved with it and shown as you edit.
   */
  saveDraft: workspaceProcedure("editor")
    .input(z.object({ flowId, graph: graphInput, baseVersion: z.number().int().min(1).optional() }))
    .mutation(async ({ ctx, input }) => {
      requireGraphDocument(input.graph, "The draft");
      const draft = await putFlowDraft(ctx.database.db, ctx.workspace.id, input.flowId, {
        graph: input.graph,
        ...(input.baseVersion === undefined ? {} : { baseVersion: input.baseVersion }),
        updatedBy: ctx.user.id,
      });
      return { updatedAt: draft.updatedAt };
    }),
});
