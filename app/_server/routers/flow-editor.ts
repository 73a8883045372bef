import { listFlows, listTasks } from "@vizflow/db";
import { decodeBase64 } from "@vizflow/flow-engine";
import { fieldPathsUpstream, type FlowGraph, type GraphProblemCode } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { z } from "zod";
import { router, workspaceProcedure } from "../trpc";
import { actionRegistry } from "../engine";
import { meteredTestRun } from "../metering";
import { batchImageResult, MAX_BATCH_IMAGES } from "../test-batch";
import { checkGraph } from "./flow-checks";
import { flowId, graphInput, testImage } from "./flow-inputs";

/** The largest test image accepted, in bytes of the encoded file. */
const MAX_TEST_IMAGE_BYTES = 20 * 1024 * 1024;

const STRUCTURAL = new Set<GraphProblemCode>([
  "invalid_document",
  "duplicate_id",
  "unknown_edge_node",
  "second_parent",
  "cycle",
  "missing_root",
  "duplicate_root",
  "root_has_parent",
]);

export const flowEditorRouter = router({
  /** Every enabled plugin's actions as JSON manifests: the palette and the config forms. */
  palette: workspaceProcedure("viewer").query(async () => (await actionRegistry()).describe()),

  /** What the config pickers offer: the workspace's tasks with labels, flows with versions, services. */
  catalog: workspaceProcedure("viewer").query(async ({ ctx }) => {
    const db = ctx.database.db;
    const [tasks, flows] = await Promise.all([listTasks(db, ctx.workspace.id), listFlows(db, ctx.workspace.id)]);
    const services = (await actionRegistry())
      .describe()
      .flatMap((plugin) => plugin.actions.filter((a) => a.service))
      .map((a) => ({ ref: a.ref, title: a.title, description: a.description, config: a.config }));
    return {
      tasks: tasks.map((t) => ({ id: t.id, name: t.name, type: t.type, labels: [...t.labels] })),
      flows: flows.map((f) => ({
        id: f.id,
        name: f.name,
        latestVersion: f.latestVersion,
        deployedVersion: f.deployedVersion,
      })),
      services,
    };
  }),

  // check and fields are POST (mutations) though they change nothing: a 300-node graph does not fit a URL.

  /** The shared validator on the editor's graph, and each node's handles (computed from its config). */
  check: workspaceProcedure("viewer")
    .input(z.object({ flowId, graph: graphInput }))
    .mutation(({ ctx, input }) => checkGraph(ctx.database.db, ctx.workspace.id, input.flowId, input.graph)),

  /** Field paths a node can test (Condition): what the actions before it declare they write. */
  fields: workspaceProcedure("viewer")
    .input(z.object({ flowId, graph: graphInput, nodeId: z.string().min(1) }))
    .mutation(async ({ ctx, input }) => {
      const { problems } = await checkGraph(ctx.database.db, ctx.workspace.id, input.flowId, input.graph);
      // Upstream fields are only defined on a sound tree; config problems elsewhere do not matter here.
      if (problems.some((p) => STRUCTURAL.has(p.code))) return [];
      try {
        return fieldPathsUpstream(input.graph as FlowGraph, await actionRegistry(), input.nodeId);
      } catch {
        // A node upstream whose action is unknown or whose writes cannot be computed: nothing to offer.
        return [];
      }
    }),

  /**
   * Runs the editor's graph on one image in debug mode: the response record and every node's trace.
   * Billed like a call (a usage row marked as a test run); refused with PAYMENT_REQUIRED when the
   * balance does not cover its worst case. Images are never stored. An invalid graph answers with its
   * problems instead of running.
   */
  testRun: workspaceProcedure("editor")
    .input(z.object({ flowId, graph: graphInput, image: testImage }))
    .mutation(async ({ ctx, input }) => {
      const decoded = decodeBase64(input.image);
      if (!decoded.ok) {
        throw new TRPCError({
          code: "BAD_REQUEST",
          message: `The image could not be read (${decoded.reason}); choose the file again.`,
        });
      }
      if (decoded.bytes.length > MAX_TEST_IMAGE_BYTES) {
        throw new TRPCError({
          code: "PAYLOAD_TOO_LARGE",
          message: `The image has ${(decoded.bytes.length / 1024 / 1024).toFixed(1)} MB; test with one under 20 MB.`,
        });
      }
      const outcome = await meteredTestRun(
        { database: ctx.database, workspaceId: ctx.workspace.id, userId: ctx.user.id },
        { flowId: input.flowId, graph: input.graph, images: [input.image] },
      );
      if (!outcome.ok) return outcome;
      return {
        ok: true as const,
        record: outcome.records[0],
        trace: outcome.traces[0] ?? [],
        statistics: outcome.statistics,
        balance: outcome.balance,
      };
    }),

  /**
   * Runs the editor's graph on several images (a batch test), metered like a test run: one hold for
   * all of them, each image's outcome, fields and per-node time and credits. An image that cannot be
   * read fails alone and costs nothing. The editor sends a large batch in several calls.
   */
  testBatch: workspaceProcedure("editor")
    .input(
      z.object({
        flowId,
        graph: graphInput,
        images: z
          .array(testImage)
          .min(1, "Choose at least one image to test with.")
          .max(
            MAX_BATCH_IMAGES,
            `A batch test runs at most ${MAX_BATCH_IMAGES} images; choose fewer or test them in several batches.`,
          ),
      }),
    )
    .mutation(async ({ ctx, input }) => {
      const outcome = await meteredTestRun(
        { database: ctx.database, workspaceId: ctx.workspace.id, userId: ctx.user.id },
        { flowId: input.flowId, graph: input.graph, images: input.images },
      );
      if (!outcome.ok) return outcome;
      return {
        ok: true as const,
        images: outcome.records.map((record, i) => batchImageResult(record, outcome.traces[i] ?? [])),
        statistics: outcome.statistics,
        balance: outcome.balance,
      };
    }),
});
