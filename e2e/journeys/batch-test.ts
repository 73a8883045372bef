import { zipSync } from "fflate";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import { colourClassifierModel } from "../../flow-engine/src/testing/tiny-models";
import { expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { node, trpc } from "./editor-kit";
import { uploadModel } from "./flow-editor";

/**
 * A batch test of five images from a zip (one of them broken): a row per image, the failure's message,
 * per-node time and credits, and the Usage page lists it as a test run, billed what ran.
 */
export const batchTestJourney = journey(
  "an editor runs a batch test of five images from a zip and sees each outcome, the failure and the cost",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const task = await trpc<{ id: string }>(context.request, baseUrl, "task.create", {
      workspaceId,
      name: "Batch colours",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    await uploadModel(context.request, baseUrl, workspaceId, task.id, colourClassifierModel(), { id: "softmax" });
    const flow = await trpc<{ id: string }>(context.request, baseUrl, "flow.create", {
      workspaceId,
      name: "Batch sorter",
    });
    await trpc(context.request, baseUrl, "flow.saveDraft", {
      workspaceId,
      flowId: flow.id,
      graph: {
        schema: 1,
        nodes: [
          { id: "input", action: "core/input@1", config: {}, position: { x: 0, y: 0 } },
          {
            id: "kind",
            action: "core/recognition@1",
            config: { task: task.id, output: "colour" },
            position: { x: 0, y: 160 },
          },
        ],
        edges: [{ id: "e1", source: "input", sourceHandle: "next", target: "kind" }],
      },
    });
    const png = (rgb: [number, number, number]) => toPng(solid(48, 32, rgb));
    const zip = zipSync({
      "shots/1-red.png": await png([230, 20, 20]),
      "shots/2-green.png": await png([20, 230, 20]),
      "shots/3-blue.png": await png([20, 20, 230]),
      "shots/4-broken.png": new TextEncoder().encode("these bytes are no image"),
      "shots/5-red.png": await png([200, 40, 40]),
    });

    const page = await context.newPage();
    await page.goto(`${baseUrl}/w/${workspaceId}/flows/${flow.id}`);
    await node(page, "Recognition").waitFor();
    await page.getByRole("tab", { name: "Test run" }).click();
    await page.getByRole("button", { name: "Batch test…" }).click();
    const dialog = page.locator("dialog[open]");
    const chooser = page.waitForEvent("filechooser");
    await dialog.getByText("Choose images or zips").click();
    await (await chooser).setFiles({ name: "shots.zip", mimeType: "application/zip", buffer: Buffer.from(zip) });
    await expectText(dialog.locator("[data-batch-count]"), "5 images");
    await dialog.getByRole("button", { name: "Run on 5 images" }).click();
    await expectText(
      dialog.locator("[data-batch-summary]"),
      /^5 images · 4 succeeded · 1 failed · cost 4 credits · [\d,]+ left$/,
    );
    await expectCount(dialog.locator('[data-outcome="ok"]'), 4);
    const broken = dialog.locator('[data-batch-row="shots.zip/shots/4-broken.png"]');
    await expectText(broken, /could not be decoded/);
    await expectText(dialog.locator('[data-batch-row="shots.zip/shots/2-green.png"]'), /colour\s*green/);
    await dialog.getByText("Per node").click();
    await expectText(dialog.locator("[data-batch-nodes]"), /Recognition\s*4\s*[\d.]+ ms\s*4/);
    await dialog.locator('[data-batch-row="shots.zip/shots/1-red.png"]').getByRole("button", { name: "Nodes" }).click();
    await shot(page, "batch test: five images, one broken, per-node time and credits");
    await dialog.getByRole("button", { name: "Close" }).click();

    await page.goto(`${baseUrl}/w/${workspaceId}/usage`);
    const row = page.locator('[data-kind="test_run"]').first();
    await expectText(row, /Batch sorter\s*draft\s*Test run · /);
    await expectText(row, /\b5\s*4\s*200\b/);
    await expectText(page.locator('[data-source="test_run"]'), /Test runs in the editor/);
    await shot(page, "usage page: the batch test billed as a test run");
  },
);
