import { createFlow, findFlow, findFlowVersion } from "@vizflow/db";
import {
  databaseWorkspace,
  FlowEngine,
  responseSchema,
  workspaceCatalog,
  type ImageRuntime,
} from "@vizflow/flow-engine";
import type { ActionRegistry, FlowGraph, JsonSchema } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { actionRegistry } from "../engine";
import { FLOW_TEMPLATES, findTemplate } from "../flow-templates";
import { parseFlowExport, type FlowExport } from "../flow-transfer/document";
import { buildFlowExport, importPreview, planImport, unlistedReferences } from "../flow-transfer/mapping";
import { router, workspaceProcedure } from "../trpc";
import { checkGraph } from "./flow-checks";
import { flowId, flowName, versionNumber } from "./flow-inputs";

/** The file's content as the browser read it: any JSON value, checked by `parseFlowExport`. */
const exportFile = z.unknown();

const mapping = z
  .record(z.string().max(200), z.string().min(1).max(200).nullable())
  .refine((record) => Object.keys(record).length <= 500, { message: "Map at most 500 tasks or flows." });

/** The file as an export document, or a refusal listing what is wrong with it, each problem naming the field. */
function readExport(value: unknown, registry: ActionRegistry): FlowExport {
  const parsed = parseFlowExport(value);
  const problems = parsed.ok ? unlistedReferences(parsed.document, registry) : parsed.problems;
  if (parsed.ok && problems.length === 0) return parsed.document;
  const shown = problems.slice(0, 5).join(" ");
  const more = problems.length > 5 ? ` (and ${problems.length - 5} more)` : "";
  throw new TRPCError({ code: "BAD_REQUEST", message: `The file cannot be imported: ${shown}${more}` });
}

// The response schema needs only the compiled plan: an engine that never runs a model, so no model store
// or worker pool is opened for it.
const noModels: ImageRuntime = {
  decodeImage: () => Promise.reject(new Error("the schema planner runs no records")),
  modelHost: () => {
    throw new Error("the schema planner runs no models");
  },
};
let planner: Promise<FlowEngine> | undefined;
function schemaPlanner(): Promise<FlowEngine> {
  planner ??= actionRegistry().then((registry) => new FlowEngine({ registry, runtime: noModels }));
  return planner;
}

function versionNotFound(version: number): TRPCError {
  return new TRPCError({ code: "NOT_FOUND", message: `Version ${version} of this flow does not exist.` });
}

/** Export and import of flow versions between workspaces, starter templates, and the response schema. */
export const flowTransferRouter = router({
  /** One saved version as an export file: its graph and the tasks and nested flows it names. */
  export: workspaceProcedure("viewer")
    .input(z.object({ flowId, version: versionNumber }))
    .query(async ({ ctx, input }) => {
      const db = ctx.database.db;
      const flow = await findFlow(db, ctx.workspace.id, input.flowId);
      const saved = flow && (await findFlowVersion(db, ctx.workspace.id, input.flowId, input.version));
      if (!flow || !saved) throw versionNotFound(input.version);
      const catalog = await workspaceCatalog(db, ctx.workspace.id);
      return buildFlowExport(
        { name: flow.name, version: saved.version, message: saved.message, graph: saved.graph as FlowGraph },
        await actionRegistry(),
        catalog,
        new Date(),
      );
    }),

  /** Reads an export file and lists what it names, each with this workspace's match by name and the choices. */
  previewImport: workspaceProcedure("editor")
    .input(z.object({ file: exportFile }))
    .mutation(async ({ ctx, input }) => {
      const registry = await actionRegistry();
      const document = readExport(input.file, registry);
      const catalog = await workspaceCatalog(ctx.database.db, ctx.workspace.id);
      const preview = importPreview(document, registry, catalog);
      return {
        flow: document.flow,
        ...preview,
        workspaceTasks: [...catalog.tasks.values()].map((t) => ({
          id: t.id,
          name: t.name,
          type: t.type,
          labels: [...t.labels],
        })),
        workspaceFlows: [...catalog.flows.values()].map((f) => ({ id: f.id, name: f.name })),
      };
    }),

  /**
   * Creates a flow from an export file, its draft the file's graph with tasks and nested flows mapped
   * (a ref left out of `tasks`/`flows` maps by name; null leaves the node's choice empty). Refused, saving
   * nothing, when a mapping does not fit: a missing counterpart, another task type, a label the task lacks.
   */
  import: workspaceProcedure("editor")
    .input(
      z.object({
        file: exportFile,
        name: flowName,
        tasks: mapping.optional(),
        flows: mapping.optional(),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const db = ctx.database.db;
      const registry = await actionRegistry();
      const document = readExport(input.file, registry);
      const plan = planImport(document, registry, await workspaceCatalog(db, ctx.workspace.id), {
        ...(input.tasks === undefined ? {} : { tasks: input.tasks }),
        ...(input.flows === undefined ? {} : { flows: input.flows }),
      });
      if (!plan.ok) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The flow cannot be imported as mapped: ${plan.reasons.join(" ")}`,
        });
      }
      const flow = await createFlow(db, ctx.workspace.id, {
        name: input.name,
        createdBy: ctx.user.id,
        graph: plan.graph,
      });
      const { problems } = await checkGraph(db, ctx.workspace.id, flow.id, plan.graph);
      return { id: flow.id, problems };
    }),

  /** The starter templates offered on the flows page. */
  templates: workspaceProcedure("viewer").query(() =>
    FLOW_TEMPLATES.map(({ id, title, description, toChoose }) => ({ id, title, description, toChoose })),
  ),

  /** Creates a flow whose draft is a template's graph. */
  createFromTemplate: workspaceProcedure("editor")
    .input(z.object({ templateId: z.string().min(1, "Choose a template."), name: flowName }))
    .mutation(async ({ ctx, input }) => {
      const template = findTemplate(input.templateId);
      if (!template) {
        throw new TRPCError({
          code: "NOT_FOUND",
          message: `There is no template "${input.templateId}"; choose one of ${FLOW_TEMPLATES.map((t) => `"${t.id}"`).join(", ")}.`,
        });
      }
      const flow = await createFlow(ctx.database.db, ctx.workspace.id, {
        name: input.name,
        createdBy: ctx.user.id,
        graph: structuredClone(template.graph),
      });
      return { id: flow.id };
    }),

  /**
   * The JSON Schema of the flow's response (what `GET /v2/flows/{id}/schema` answers): of the deployed
   * version, or of `version`.
   */
  responseSchema: workspaceProcedure("viewer")
    .input(z.object({ flowId, version: versionNumber.optional() }))
    .query(async ({ ctx, input }): Promise<JsonSchema> => {
      const engine = await schemaPlanner();
      const workspace = databaseWorkspace(ctx.database.db, ctx.workspace.id);
      const version = input.version ?? "deployed";
      try {
        const prepared = await engine.prepare(workspace, { flowId: input.flowId, version });
        return responseSchema(prepared.plan, { flowId: input.flowId, version: prepared.version ?? 0 });
      } catch (error) {
        if ((error as { status?: unknown }).status === 404) {
          throw new TRPCError({ code: "NOT_FOUND", message: (error as Error).message, cause: error });
        }
        throw error;
      }
    }),
});
