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
import { FLOW_GRAPH_SCHEMA_VERSION, INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
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
      const draft = await findFlowDraft(db, ctx.workspace.id, input.flowId);
      const latest =
        source.latestVersion === undefined
          ? undefined
          : await findFlowVersion(db, ctx.workspace.id, input.flowId, source.latestVersion);
      const graph = draft?.graph ?? latest?.graph ?? emptyGraph();
      const flow = await createFlow(db, ctx.workspace.id, { name: input.name, createdBy: ctx.user.id, graph });
      return { id: flow.id };
    }),

  /** Deletes a flow; refused while another flow nests it. */
  delete: workspaceProcedure("editor")
    .input(z.object({ flowId }))
    .mutation(({ ctx, input }) => deleteFlow(ctx.database.db, ctx.workspace.id, input.flowId)),

  /**
   * What the editor opens: the autosaved draft when there is one, else the latest version, else a new
   * graph; `baseVersion` is the version the draft started from (undefined before the first save).
   */
  draft: workspaceProcedure("viewer")
    .input(z.object({ flowId }))
    .query(async ({ ctx, input }) => {
      const db = ctx.database.db;
      const flow = await findFlow(db, ctx.workspace.id, input.flowId);
      if (!flow) throw notFound();
      const draft = await findFlowDraft(db, ctx.workspace.id, input.flowId);
      if (draft) return { graph: draft.graph, baseVersion: draft.baseVersion, updatedAt: draft.updatedAt };
      if (flow.latestVersion !== undefined) {
        const latest = await findFlowVersion(db, ctx.workspace.id, input.flowId, flow.latestVersion);
        if (latest) return { graph: latest.graph, baseVersion: latest.version, updatedAt: latest.createdAt };
      }
      return { graph: emptyGraph(), baseVersion: undefined, updatedAt: flow.createdAt };
    }),

  /** Autosave: replaces the draft (the last write wins; versions are what is immutable). */
  saveDraft: workspaceProcedure("editor")
    .input(z.object({ flowId, graph: graphInput, baseVersion: z.number().int().min(1).optional() }))
    .mutation(async ({ ctx, input }) => {
      const draft = await putFlowDraft(ctx.database.db, ctx.workspace.id, input.flowId, {
        graph: input.graph,
        ...(input.baseVersion === undefined ? {} : { baseVersion: input.baseVersion }),
        updatedBy: ctx.user.id,
      });
      return { updatedAt: draft.updatedAt };
    }),
});
