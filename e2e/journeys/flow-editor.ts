import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext } from "playwright-core";
import { paint, toPng } from "../../flow-engine/src/testing/images";
import { colourClassifierModel, fixedSsdModel } from "../../flow-engine/src/testing/tiny-models";
import { expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { connectNodes, dropAction, newFlow, node, saveVersion, trpc } from "./editor-kit";

const FLOW = "Things and colours";

export async function uploadModel(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  taskId: string,
  model: Uint8Array,
  decoder: Record<string, unknown>,
): Promise<void> {
  const adapter = {
    input: "input",
    width: 8,
    height: 8,
    resize: "stretch",
    colorOrder: "RGB",
    layout: "NCHW",
    decoder,
  };
  const response = await request.post(`${baseUrl}/api/workspaces/${workspaceId}/tasks/${taskId}/model-versions`, {
    multipart: {
      adapter: JSON.stringify(adapter),
      activate: "true",
      file: { name: "model.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(model) },
    },
  });
  if (response.status() !== 201) throw new Error(`model upload: ${response.status()} ${await response.text()}`);
}

/**
 * Two tasks with tiny ONNX models, made through the product's own API: "Editor things" detects two
 * fixed boxes (left and right half), "Editor colours" tells red, green and blue apart.
 */
async function createTasks(request: APIRequestContext, baseUrl: string, workspaceId: string): Promise<void> {
  const things = await trpc<{ id: string }>(request, baseUrl, "task.create", {
    workspaceId,
    name: "Editor things",
    type: "detection",
    labels: ["thing"],
  });
  const colour = await trpc<{ id: string }>(request, baseUrl, "task.create", {
    workspaceId,
    name: "Editor colours",
    type: "categorization",
    labels: ["red", "green", "blue"],
  });
  const boxes = [
    [0.05, 0.1, 0.45, 0.9],
    [0.55, 0.1, 0.95, 0.9],
  ];
  await uploadModel(
    request,
    baseUrl,
    workspaceId,
    things.id,
    fixedSsdModel(
      [
        [0.1, 0.9],
        [0.2, 0.8],
      ],
      boxes,
    ),
    {
      id: "ssd",
      params: { threshold: 0.5 },
    },
  );
  await uploadModel(request, baseUrl, workspaceId, colour.id, colourClassifierModel(), { id: "softmax" });
}

/** A 64x48 image: red on the left half, blue on the right. */
async function testImage(): Promise<string> {
  const file = path.join(mkdtempSync(path.join(tmpdir(), "vizflow-editor-e2e-")), "red-blue.png");
  writeFileSync(file, await toPng(paint(64, 48, (x) => (x < 32 ? [220, 20, 20] : [20, 20, 220]))));
  return file;
}

export const flowEditorJourney = journey(
  "an editor builds a two-level flow with the mouse, tests it on an image, versions, compares, restores and deploys it",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    await createTasks(context.request, baseUrl, workspaceId);
    const page = await context.newPage();

    await newFlow(page, baseUrl, workspaceId, FLOW);
    await shot(page, "empty canvas");

    const input = await node(page, "Input").boundingBox();
    const pane = await page.locator(".react-flow__pane").boundingBox();
    if (!input || !pane) throw new Error("the canvas did not render");
    const below = (dy: number) => ({ x: input.x - pane.x + 10, y: input.y - pane.y + dy });
    await dropAction(page, "core/object-selector@1", below(160));
    await node(page, "Object Selector").waitFor();
    await connectNodes(page, "Input", undefined, "Object Selector");
    await dropAction(page, "core/recognition@1", below(330));
    await node(page, "Recognition").waitFor();
    await connectNodes(page, "Object Selector", "objects", "Recognition");
    await expectCount(page.locator(".react-flow__edge"), 2);
    await expectText(node(page, "Recognition"), "per object");

    // A refused connection says why: the Recognition already has a parent.
    await connectNodes(page, "Input", undefined, "Recognition");
    await expectText(page.locator("[data-notice]"), /already runs after Object Selector/);
    await expectCount(page.locator(".react-flow__edge"), 2);
    await shot(page, "connection refused with its reason");

    await node(page, "Object Selector").click();
    await page.getByLabel("Task", { exact: true }).selectOption({ label: "Editor things (detection)" });
    await node(page, "Recognition").click();
    await page.getByLabel("Task", { exact: true }).selectOption({ label: "Editor colours (categorization)" });
    // Recognition needs an output field: the validator says what to do on the node and in the problems list.
    await expectText(node(page, "Recognition"), "Name the output field.");
    await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (1)");
    await shot(page, "validation error on the recognition node");
    await page.getByRole("tab", { name: /Problems/ }).click();
    const problem = page.getByRole("list", { name: "Problems" }).getByRole("button").first();
    await expectText(problem, "Recognition: Name the output field.");
    // Clicking the problem opens the node's settings with the field focused.
    await problem.click();
    await page.waitForFunction(() => document.activeElement?.id === "root_output");
    await page.keyboard.type("colour");
    await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (0)");
    await shot(page, "configured, no problems");

    await page.getByRole("tab", { name: "Test run" }).click();
    const chooser = page.waitForEvent("filechooser");
    await page.getByText("Choose image").click();
    await (await chooser).setFiles(await testImage());
    await page.getByRole("button", { name: "Run test" }).click();
    await expectText(node(page, "Object Selector").locator("[data-outcome]"), "2 objects");
    await expectText(node(page, "Recognition").locator("[data-outcome]"), /red.*blue|blue.*red/);
    await expectCount(page.locator("[data-box]"), 2);
    await expectText(page.locator("[data-test-cost]"), /^cost 3 credits · [\d,]+ left$/);
    await expectText(page.locator("[data-test-json]"), '"best_label"');
    await shot(page, "test run: outcomes on nodes and boxes on the image");
    await node(page, "Recognition").click();
    await expectText(page.locator("[data-config-panel]"), "Last test run");
    await expectText(page.locator("[data-written]").first(), "colour");
    await shot(page, "what the recognition saw and wrote");

    await saveVersion(page, "first flow", 1);
    await node(page, "Object Selector").click();
    await page.getByLabel("Minimum probability", { exact: true }).fill("0.85");
    await saveVersion(page, "stricter objects", 2);

    await page.getByRole("tab", { name: "Versions" }).click();
    await page.getByLabel("Compare version 1").check();
    await page.getByLabel("Compare version 2").check();
    await page.getByRole("button", { name: /Compare v1 → v2/ }).click();
    await expectText(page.locator("[data-viewing]"), "Comparing version 1 → 2");
    await expectText(page.getByLabel("Differences"), /minProb: 0 → 0\.85/);
    await expectText(node(page, "Object Selector"), "changed");
    await shot(page, "diff of version 1 and 2");
    await page.getByRole("button", { name: "Back to the draft" }).click();

    await page.getByRole("tab", { name: "Versions" }).click();
    await page.locator('[data-version="1"]').getByRole("button", { name: "Restore as new version" }).click();
    await expectText(page.locator("[data-notice]"), "Restored version 1 as version 3.");
    await expectCount(page.locator("[data-version]"), 3);
    await shot(page, "version 1 restored as version 3");

    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await page.getByRole("button", { name: "Deploy version 3" }).click();
    await expectText(page.locator("dialog[open]"), "Version 3 is live.");
    await expectText(page.locator("[data-endpoint]"), `/v2/flows/`);
    await shot(page, "deployed with endpoint and curl");
    await page.locator("dialog[open]").getByRole("button", { name: "Close" }).click();

    await page.reload();
    await node(page, "Recognition").waitFor();
    await expectText(page.locator("[data-base-version]"), "Matches version 3");
    await expectText(page.locator("[data-base-version]"), "v3 deployed");
    await expectCount(page.locator(".react-flow__edge"), 2);
    await node(page, "Object Selector").click();
    const minProb = await page.getByLabel("Minimum probability", { exact: true }).inputValue();
    if (Number(minProb) !== 0)
      throw new Error(`after restoring version 1 the minimum probability should be 0, it is ${minProb}`);
    await shot(page, "after reload everything is as it was");
    shared.set("editorFlowUrl", page.url());
  },
);

export const staleSaveJourney = journey(
  "a second editor saving or restoring from a stale version gets the conflict, and nothing is overwritten",
  async ({ newContext, shot, shared }) => {
    const url = required(shared, "editorFlowUrl");
    const first = await (await newContext(required(shared, "ownerState"))).newPage();
    const second = await (await newContext(required(shared, "ownerState"))).newPage();
    await first.goto(url);
    await second.goto(url);
    await node(first, "Recognition").waitFor();
    await node(second, "Recognition").waitFor();

    await node(first, "Recognition").click();
    await first.getByLabel("Node name").fill("Colour of each thing");
    await saveVersion(first, "named the recognition", 4);

    await node(second, "Object Selector").click();
    await second.getByLabel("Maximum objects", { exact: true }).fill("3");
    await second.getByRole("button", { name: "Save version" }).first().click();
    await second.getByLabel("What changed?").fill("fewer objects");
    await second.locator("dialog[open]").getByRole("button", { name: "Save version" }).click();
    await expectText(second.locator("dialog[open]"), "Someone saved a newer version");
    await expectText(second.locator("dialog[open]"), "Reload version 4");
    await shot(second, "conflict offered: reload or save on top");

    await second.locator("dialog[open]").getByRole("button", { name: "Reload version 4" }).click();
    await node(second, "Colour of each thing").waitFor();
    await second.getByRole("tab", { name: "Versions" }).click();
    await expectCount(second.locator("[data-version]"), 4);
    await expectText(second.locator('[data-version="4"]'), "named the recognition");
    await shot(second, "reloaded: version 4 kept, nothing overwritten");

    // Restoring from a stale base is offered the same choice, instead of being saved over version 5 unasked.
    await node(first, "Object Selector").click();
    await first.getByLabel("Maximum objects", { exact: true }).fill("2");
    await saveVersion(first, "two objects", 5);
    await second.locator('[data-version="1"]').getByRole("button", { name: "Restore as new version" }).click();
    await expectText(second.locator("dialog[open]"), "Someone saved a newer version");
    await expectText(second.locator("dialog[open]"), "Reload version 5");
    await shot(second, "restore conflict offered: reload or restore on top");
    await second.locator("dialog[open]").getByRole("button", { name: "Restore on top of version 5" }).click();
    await expectText(second.locator("[data-notice]"), "Restored version 1 as version 6.");
    await expectCount(second.locator("[data-version]"), 6);
    await expectText(second.locator('[data-version="5"]'), "two objects");
  },
);
