import { rm } from "node:fs/promises";
import { addInstanceOperator, getCreditAccount, listRecentUsage, setCreditPlan } from "@vizflow/db";
import { FlowEngine, onnxImageRuntime, PixelBudget } from "@vizflow/flow-engine";
import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import { COLOUR_CLASSIFIER_ADAPTER, colourClassifierModel } from "../../flow-engine/src/testing/tiny-models";
import { CreditShortfall } from "./credit-shortfall";
import { actionRegistry, setEngine } from "./engine";
import { type ModelServices } from "./model-services";
import { handleModelUpload } from "./model-upload-route";
import {
  createTestServices,
  useTestModelServices,
  httpCall,
  signUp,
  type TestServices,
  type TestUser,
} from "./testing";

let services: TestServices;
let models: ModelServices;
let alice: TestUser;
let viewer: TestUser;
let workspaceId: string;
let taskId: string;
let flowId: string;
let dir: string;

const png = async (rgb: readonly [number, number, number]) =>
  Buffer.from(await toPng(solid(16, 16, rgb))).toString("base64");
/** Valid base64 of bytes that are no image: the engine fails this record alone. */
const notAnImage = Buffer.from("not an image").toString("base64");

beforeAll(async () => {
  services = await createTestServices();
  ({ models, dir } = await useTestModelServices(services.database, "metering"));
  setEngine(
    services.database,
    new FlowEngine({ registry: await actionRegistry(), runtime: onnxImageRuntime({ models: models.runtime }) }),
  );
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Metered" })).id;
  viewer = await signUp(services, "Viewer");
  const { url } = await alice.caller.invitation.create({ workspaceId, role: "viewer" });
  await viewer.caller.invitation.accept({ token: url.slice("/invite/".length) });
  taskId = (
    await alice.caller.task.create({
      workspaceId,
      name: "Colours",
      type: "categorization",
      labels: ["red", "green", "blue"],
    })
  ).id;
  const form = new FormData();
  form.append("adapter", JSON.stringify(COLOUR_CLASSIFIER_ADAPTER));
  form.append("file", new Blob([new Uint8Array(colourClassifierModel())]), "colours.onnx");
  const upload = await handleModelUpload(
    new Request("http://localhost/upload", { method: "POST", headers: alice.headers, body: form }),
    services,
    { workspaceId, taskId },
  );
  expect(upload.status).toBe(201);
  const { modelVersion } = (await upload.json()) as { modelVersion: { id: string } };
  await alice.caller.modelVersion.activate({ workspaceId, taskId, modelVersionId: modelVersion.id });
  flowId = (await alice.caller.flow.create({ workspaceId, name: "Colour sorter" })).id;
});
afterAll(async () => {
  await models.runtime.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});
// Every test starts from a known balance on a fresh period's allowance.
beforeEach(async () => {
  await setCreditPlan(services.database.db, workspaceId, "free", 100);
  await services.database.db.updateTable("credit_account").set({ used: 0, bonus: 0 }).execute();
});

/** input -> Recognition of the colour task: one credit per image. */
const graph: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
    { id: "kind", action: "core/recognition@1", config: { task: "", output: "colour" }, position: { x: 0, y: 120 } },
  ],
  edges: [{ id: "e1", source: "input", sourceHandle: "next", target: "kind" }],
};
const colourGraph = (): FlowGraph => ({
  ...graph,
  nodes: graph.nodes.map((n) => (n.id === "kind" ? { ...n, config: { ...n.config, task: taskId } } : n)),
});

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

async function account() {
  const a = await getCreditAccount(services.database.db, workspaceId);
  const holds = await services.database.db.selectFrom("credit_hold").select("id").execute();
  return { used: a.used, held: a.held, balance: a.balance, holds: holds.length };
}

const usageRows = () => listRecentUsage(services.database.db, workspaceId, 100);

describe("test runs are billed like calls", () => {
  test("a test run settles its hold to what ran and writes a usage row marked as a test run", async () => {
    const before = (await usageRows()).length;
    const result = await alice.caller.flowEditor.testRun({
      workspaceId,
      flowId,
      graph: colourGraph(),
      image: await png([250, 5, 5]),
    });
    if (!result.ok) throw new Error(`the draft has problems: ${JSON.stringify(result.problems)}`);
    expect(result.record).toMatchObject({ colour: { best_label: { name: "red" } } });
    expect(result.statistics.credits).toBe(1);
    expect(result.balance).toBe(99);
    expect(await account()).toEqual({ used: 1, held: 0, balance: 99, holds: 0 });
    const rows = await usageRows();
    expect(rows).toHaveLength(before + 1);
    expect(rows[0]).toMatchObject({
      kind: "test_run",
      flowId,
      flowName: "Colour sorter",
      flowVersion: undefined,
      tokenId: undefined,
      userId: alice.id,
      records: 1,
      credits: 1,
      status: 200,
    });
  });

  test("at zero balance a test run is refused with the balance, and nothing runs or is billed", async () => {
    await setCreditPlan(services.database.db, workspaceId, "free", 0);
    const before = (await usageRows()).length;
    const error = await refusal(
      alice.caller.flowEditor.testRun({ workspaceId, flowId, graph: colourGraph(), image: await png([5, 250, 5]) }),
    );
    expect(error.code).toBe("PAYMENT_REQUIRED");
    expect(error.message).toBe(
      "Not enough credits: this test run may cost up to 1 credit and the workspace has 0 left this period. The operator of this instance grants credits.",
    );
    expect(error.cause).toBeInstanceOf(CreditShortfall);
    expect(await account()).toEqual({ used: 0, held: 0, balance: 0, holds: 0 });
    expect(await usageRows()).toHaveLength(before);

    // Over HTTP the refusal carries the balance, as the engine API's 402 does.
    const { status, body } = await httpCall(
      services,
      "flowEditor.testRun",
      { workspaceId, flowId, graph: colourGraph(), image: await png([5, 250, 5]) },
      { headers: alice.headers },
    );
    expect(status).toBe(402);
    expect(body).toMatchObject({ error: { data: { code: "PAYMENT_REQUIRED", credits: { balance: 0, required: 1 } } } });
  });

  test("after an operator grants 3,000,000,000 credits test runs keep working and are billed", async () => {
    // Only an instance operator grants credits; Alice, the workspace's owner, is named one for this test.
    await expect(alice.caller.instance.grantCredits({ workspaceId, amount: 3_000_000_000 })).rejects.toThrow(
      /Only an operator of this instance can grant credits/,
    );
    await addInstanceOperator(services.database.db, { userId: alice.id });
    try {
      const granted = await alice.caller.instance.grantCredits({ workspaceId, amount: 3_000_000_000 });
      expect(granted.balance).toBe(3_000_000_100);
      for (const colour of [[250, 5, 5] as const, [5, 5, 250] as const]) {
        const result = await alice.caller.flowEditor.testRun({
          workspaceId,
          flowId,
          graph: colourGraph(),
          image: await png(colour),
        });
        if (!result.ok) throw new Error(`the draft has problems: ${JSON.stringify(result.problems)}`);
        expect(result.statistics.credits).toBe(1);
      }
      expect(await account()).toEqual({ used: 2, held: 0, balance: 3_000_000_098, holds: 0 });
      expect((await alice.caller.usage.summary({ workspaceId })).account).toMatchObject({
        bonus: 3_000_000_000,
        balance: 3_000_000_098,
      });
    } finally {
      await services.database.db.deleteFrom("instance_operator").where("user_id", "=", alice.id).execute();
    }
  });

  test("a test run whose image cannot be decoded bills nothing and still writes its usage row", async () => {
    const result = await alice.caller.flowEditor.testRun({
      workspaceId,
      flowId,
      graph: colourGraph(),
      image: notAnImage,
    });
    if (!result.ok) throw new Error("expected the draft to run");
    expect(result.record?._status.code).toBeGreaterThanOrEqual(400);
    expect(result.statistics.credits).toBe(0);
    expect(await account()).toEqual({ used: 0, held: 0, balance: 100, holds: 0 });
    expect((await usageRows())[0]).toMatchObject({ kind: "test_run", credits: 0, records: 1 });
  });

  test("an invalid draft answers with its problems, holds nothing and writes no usage row", async () => {
    const before = (await usageRows()).length;
    const result = await alice.caller.flowEditor.testRun({ workspaceId, flowId, graph, image: await png([1, 2, 3]) });
    expect(result.ok).toBe(false);
    expect(await account()).toEqual({ used: 0, held: 0, balance: 100, holds: 0 });
    expect(await usageRows()).toHaveLength(before);
  });
});

describe("batch tests", () => {
  test("a test run with no room to decode its image yet, or too many pixels, is refused and bills nothing", async () => {
    const registry = await actionRegistry();
    const runtime = onnxImageRuntime({ models: models.runtime });
    const full = new PixelBudget({ capacity: 1000, maxWaitMs: 20, maxWaiting: 4 });
    const release = await full.acquire(1000);
    const before = await account();
    try {
      setEngine(services.database, new FlowEngine({ registry, runtime, pixelBudget: full }));
      const busy = await refusal(
        alice.caller.flowEditor.testRun({ workspaceId, flowId, graph: colourGraph(), image: await png([250, 5, 5]) }),
      );
      expect(busy.code).toBe("SERVICE_UNAVAILABLE");
      expect(busy.message).toMatch(/^The engine is busy: no room to decode/);
      setEngine(services.database, new FlowEngine({ registry, runtime, limits: { maxPixelsPerRequest: 100 } }));
      const large = await refusal(
        alice.caller.flowEditor.testRun({ workspaceId, flowId, graph: colourGraph(), image: await png([250, 5, 5]) }),
      );
      expect(large.code).toBe("PAYLOAD_TOO_LARGE");
      expect(large.message).toContain("more than the limit of 0.00 megapixels per request");
    } finally {
      release();
      setEngine(services.database, new FlowEngine({ registry, runtime }));
    }
    expect(await account()).toEqual({ ...before, holds: 0 });
  });

  test("several images, one of them broken, give per-image results and bill the sum", async () => {
    const images = [await png([250, 5, 5]), notAnImage, await png([5, 250, 5]), await png([5, 5, 250])];
    const result = await alice.caller.flowEditor.testBatch({ workspaceId, flowId, graph: colourGraph(), images });
    if (!result.ok) throw new Error("expected the draft to run");
    expect(result.images.map((i) => i.status.code)).toEqual([200, expect.any(Number), 200, 200]);
    const broken = result.images[1];
    expect(broken?.status.code).toBeGreaterThanOrEqual(400);
    expect(broken?.status.text).toMatch(/could not be decoded/);
    expect(broken?.credits).toBe(0);
    expect(
      result.images.map((i) => (i.fields.colour as { best_label?: { name: string } } | undefined)?.best_label?.name),
    ).toEqual(["red", undefined, "green", "blue"]);
    expect(result.images[0]?.nodes).toEqual([
      expect.objectContaining({ nodeId: "input", runs: 1, credits: 0 }),
      expect.objectContaining({ nodeId: "kind", action: "core/recognition@1", runs: 1, credits: 1, failures: 0 }),
    ]);
    expect(result.images[0]?.width).toBe(16);
    expect(result.statistics.credits).toBe(3);
    expect(result.balance).toBe(97);
    expect(await account()).toEqual({ used: 3, held: 0, balance: 97, holds: 0 });
    expect((await usageRows())[0]).toMatchObject({ kind: "test_run", records: 4, credits: 3 });
  });

  test("a batch whose worst case the balance does not cover is refused whole", async () => {
    await setCreditPlan(services.database.db, workspaceId, "free", 2);
    const images = await Promise.all([png([250, 5, 5]), png([5, 250, 5]), png([5, 5, 250])]);
    const error = await refusal(
      alice.caller.flowEditor.testBatch({ workspaceId, flowId, graph: colourGraph(), images }),
    );
    expect(error.code).toBe("PAYMENT_REQUIRED");
    expect(error.message).toMatch(/this batch test may cost up to 3 credits and the workspace has 2 left/);
    expect(await account()).toEqual({ used: 0, held: 0, balance: 2, holds: 0 });
  });

  test("more than 100 images are refused with the limit named", async () => {
    const image = await png([9, 9, 9]);
    const error = await refusal(
      alice.caller.flowEditor.testBatch({
        workspaceId,
        flowId,
        graph: colourGraph(),
        images: Array.from({ length: 101 }, () => image),
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/at most 100 images/);
    expect(await account()).toEqual({ used: 0, held: 0, balance: 100, holds: 0 });
  });
});

describe("model tries are billed like calls", () => {
  test("a viewer's try costs one credit and writes a usage row marked as a model try", async () => {
    const tried = await viewer.caller.modelVersion.try({ workspaceId, taskId, image: await png([5, 5, 250]) });
    expect(tried.prediction).toMatchObject({ result: { best_label: { name: "blue" } } });
    expect(tried).toMatchObject({ credits: 1, balance: 99 });
    expect(await account()).toEqual({ used: 1, held: 0, balance: 99, holds: 0 });
    expect((await usageRows())[0]).toMatchObject({
      kind: "model_try",
      taskName: "Colours",
      userId: viewer.id,
      flowId: undefined,
      records: 1,
      credits: 1,
      status: 200,
    });
  });

  test("a try on a broken image is refused as before and bills nothing", async () => {
    const error = await refusal(viewer.caller.modelVersion.try({ workspaceId, taskId, image: notAnImage }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(await account()).toEqual({ used: 0, held: 0, balance: 100, holds: 0 });
    expect((await usageRows())[0]).toMatchObject({ kind: "model_try", credits: 0, status: 400 });
  });

  test("at zero balance a try is refused with the balance and writes nothing", async () => {
    await setCreditPlan(services.database.db, workspaceId, "free", 0);
    const before = (await usageRows()).length;
    const error = await refusal(viewer.caller.modelVersion.try({ workspaceId, taskId, image: await png([5, 5, 250]) }));
    expect(error.code).toBe("PAYMENT_REQUIRED");
    expect(error.message).toMatch(/this model try may cost up to 1 credit and the workspace has 0 left/);
    expect(await account()).toEqual({ used: 0, held: 0, balance: 0, holds: 0 });
    expect(await usageRows()).toHaveLength(before);
  });

  test("the Usage page tells test runs and model tries apart from calls", async () => {
    await alice.caller.flowEditor.testRun({ workspaceId, flowId, graph: colourGraph(), image: await png([250, 5, 5]) });
    await viewer.caller.modelVersion.try({ workspaceId, taskId, image: await png([250, 5, 5]) });
    const summary = await viewer.caller.usage.summary({ workspaceId });
    expect(summary.recent.slice(0, 2).map((r) => [r.kind, r.userName, r.taskName ?? r.flowName])).toEqual([
      ["model_try", "Viewer", "Colours"],
      ["test_run", "Alice", "Colour sorter"],
    ]);
    expect(summary.tokens.map((t) => t.kind).sort()).toEqual(["model_try", "test_run"]);
  });
});
