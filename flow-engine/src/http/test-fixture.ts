/**
 * A seeded workspace for the HTTP API's tests: a colour task with a tiny ONNX classifier, deployed flows
 * of known cost, and images of known colour. Built through `@vizflow/db`, as the app would.
 */
import { randomUUID } from "node:crypto";
import {
  createFlow,
  createModelVersion,
  createTask,
  deployFlowVersion,
  saveFlowVersion,
  setCreditPlan,
  type BlobStore,
  type Database,
} from "@vizflow/db";
import type { FlowGraph } from "@vizflow/sdk";
import type { ModelAdapter } from "../runtime/adapter.js";
import { solid, toPng, type Rgb } from "../testing/images.js";
import { colourClassifierModel } from "../testing/tiny-models.js";

const USER = "user-1";

const ADAPTER: ModelAdapter = {
  input: "input",
  width: 8,
  height: 8,
  resize: "stretch",
  colorOrder: "RGB",
  layout: "NCHW",
  decoder: { id: "softmax" },
};

type NodeSpec = [id: string, action: string, config?: Record<string, unknown>];
type EdgeSpec = [source: string, handle: string, target: string];

export function graph(nodes: NodeSpec[], edges: EdgeSpec[]): FlowGraph {
  return {
    schema: 1,
    nodes: [["in", "core/input@1", {}] as NodeSpec, ...nodes].map(([id, action, config = {}], i) => ({
      id,
      action,
      config,
      position: { x: 0, y: i * 100 },
    })),
    edges: edges.map(([source, sourceHandle, target], i) => ({ id: `e${i}`, source, sourceHandle, target })),
  };
}

export interface SeededWorkspace {
  id: string;
  colourTask: string;
  /** Recognition of the colour: 1 credit per record. */
  colourFlow: string;
  /** Three recognitions in a chain: 3 credits per record. */
  tripleFlow: string;
  /** Branch Selector (1) on the colour, with a recognition (1) on the `red` branch only. */
  branchFlow: string;
}

/** Creates a flow with `flow` as its version 1, deployed. */
export async function deployed(
  database: Database,
  workspaceId: string,
  name: string,
  flow: FlowGraph,
): Promise<string> {
  const created = await createFlow(database.db, workspaceId, { name, createdBy: USER });
  await saveFlowVersion(database.db, workspaceId, created.id, { graph: flow, createdBy: USER });
  await deployFlowVersion(database.db, workspaceId, created.id, 1, USER);
  return created.id;
}

/** A workspace with the colour model and its flows; `credits` sets its monthly allowance. */
export async function seedWorkspace(
  database: Database,
  blobs: BlobStore,
  options: { credits?: number; name?: string } = {},
): Promise<SeededWorkspace> {
  const id = randomUUID();
  await database.db
    .insertInto("workspace")
    .values({ id, name: options.name ?? "Seeded" })
    .execute();
  if (options.credits !== undefined) await setCreditPlan(database.db, id, "free", options.credits);
  const task = await createTask(database.db, id, {
    name: "Colour",
    type: "categorization",
    labels: ["red", "green", "blue"],
  });
  const file = await blobs.put(colourClassifierModel());
  await createModelVersion(database.db, id, task.id, { file, adapter: ADAPTER, createdBy: USER, activate: true });
  const recognise = (output: string): [string, string, Record<string, unknown>] => [
    output,
    "core/recognition@1",
    { task: task.id, output },
  ];
  return {
    id,
    colourTask: task.id,
    colourFlow: await deployed(database, id, "Colour", graph([recognise("colour")], [["in", "next", "colour"]])),
    tripleFlow: await deployed(
      database,
      id,
      "Triple",
      graph(
        [recognise("a"), recognise("b"), recognise("c")],
        [
          ["in", "next", "a"],
          ["a", "next", "b"],
          ["b", "next", "c"],
        ],
      ),
    ),
    branchFlow: await deployed(
      database,
      id,
      "Branch",
      graph(
        [
          ["branch", "core/branch-selector@1", { task: task.id, branches: ["red"], output: "branch" }],
          recognise("again"),
        ],
        [
          ["in", "next", "branch"],
          ["branch", "branch:red", "again"],
        ],
      ),
    ),
  };
}

/** A solid-colour PNG as base64 (the classifier reads red, green or blue from it). */
export async function colourImage(rgb: Rgb): Promise<string> {
  return Buffer.from(await toPng(solid(16, 16, rgb))).toString("base64");
}
