/**
 * A test run on a real street photo with many objects, at the window sizes people use: the image fits the
 * panel, no caption covers another, nothing in the panel is wider than the panel, a click on a box opens
 * that object's trace, and outcomes go outdated once a setting changes. Needs `../shared/models`.
 */
import { readFileSync } from "node:fs";
import path from "node:path";
import type { APIRequestContext, Page } from "playwright-core";
import { ADAPTER_PRESETS } from "../../app/_components/tasks/adapter-presets";
import { fixRepeatedLabels, labelNames } from "@vizflow/sdk";
import { cocoLabels, realModelsDir } from "../../flow-engine/src/testing/real-models";
import { assert, expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { autoLayout, node, trpc } from "./editor-kit";

const PHOTO = "imgs/ortex_test_object_detection_0.jpg";

async function upload(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  taskId: string,
  file: string,
  adapter: object,
): Promise<void> {
  const response = await request.post(`${baseUrl}/api/workspaces/${workspaceId}/tasks/${taskId}/model-versions`, {
    multipart: {
      adapter: JSON.stringify(adapter),
      activate: "true",
      file: { name: path.basename(file), mimeType: "application/octet-stream", buffer: readFileSync(file) },
    },
  });
  if (response.status() !== 201) throw new Error(`model upload: ${response.status()} ${await response.text()}`);
}

const preset = (id: string) => {
  const found = ADAPTER_PRESETS.find((p) => p.id === id);
  if (!found) throw new Error(`no adapter preset "${id}"`);
  return found.adapter;
};

/** Object Selector (YOLOX nano, COCO) → each object → Recognition (MobileNetV2, ImageNet), as a saved draft. */
async function crowdedFlow(request: APIRequestContext, baseUrl: string, workspaceId: string, models: string) {
  const coco = await trpc<{ id: string }>(request, baseUrl, "task.create", {
    workspaceId,
    name: "Street things",
    type: "detection",
    labels: cocoLabels(models),
  });
  await upload(request, baseUrl, workspaceId, coco.id, path.join(models, "yolox/yolox_nano.onnx"), preset("yolox"));
  // The synset file as a user loads it into a new task, with the proposed renames of its repeats accepted.
  const synset = readFileSync(path.join(models, "labels/onnx_models_synset.txt"), "utf8");
  const imagenet = await trpc<{ id: string }>(request, baseUrl, "task.create", {
    workspaceId,
    name: "ImageNet kinds",
    type: "categorization",
    labels: labelNames(fixRepeatedLabels(synset)),
  });
  const mobilenet = path.join(models, "mobilenetv2/mobilenetv2-12-int8.onnx");
  await upload(request, baseUrl, workspaceId, imagenet.id, mobilenet, preset("imagenet"));
  const flow = await trpc<{ id: string }>(request, baseUrl, "flow.create", { workspaceId, name: "Crowded street" });
  const at = (x: number, y: number) => ({ x, y });
  await trpc(request, baseUrl, "flow.saveDraft", {
    workspaceId,
    flowId: flow.id,
    graph: {
      schema: 1,
      nodes: [
        { id: "input", action: "core/input@1", config: {}, position: at(0, 0), label: "Input" },
        // Stacked on top of each other on purpose: Auto-layout must space them by their real heights.
        {
          id: "objects",
          action: "core/object-selector@1",
          config: { task: coco.id, maxObjects: 20 },
          position: at(0, 90),
        },
        {
          id: "kind",
          action: "core/recognition@1",
          config: { task: imagenet.id, output: "kind" },
          position: at(0, 180),
        },
      ],
      edges: [
        { id: "e1", source: "input", sourceHandle: "next", target: "objects" },
        { id: "e2", source: "objects", sourceHandle: "objects", target: "kind" },
      ],
    },
  });
  return flow.id;
}

type Box = { x: number; y: number; width: number; height: number };
const inside = (a: Box, b: Box, slack = 1) =>
  a.x >= b.x - slack &&
  a.y >= b.y - slack &&
  a.x + a.width <= b.x + b.width + slack &&
  a.y + a.height <= b.y + b.height + slack;
const overlap = (a: Box, b: Box, slack = 0.5) =>
  a.x + slack < b.x + b.width &&
  b.x + slack < a.x + a.width &&
  a.y + slack < b.y + b.height &&
  b.y + slack < a.y + a.height;

/** The checks of one window size: image inside the panel, captions apart and inside the image, no sideways scroll. */
async function checkLayout(page: Page, size: string): Promise<number> {
  const panel = page.locator("[role=tablist] + div");
  const image = await page.locator("[data-test-image-drop] img").boundingBox();
  const frame = await panel.boundingBox();
  assert(image !== null && frame !== null, "the test image or the panel is not on screen");
  assert(
    inside(image, frame),
    `at ${size} the image (${JSON.stringify(image)}) is wider than the panel (${JSON.stringify(frame)})`,
  );
  const captions = await page.locator("[data-caption]").evaluateAll((elements) =>
    elements.map((e) => {
      const r = e.getBoundingClientRect();
      return { text: e.textContent ?? "", x: r.x, y: r.y, width: r.width, height: r.height };
    }),
  );
  assert(captions.length >= 8, `at ${size} only ${captions.length} captions are shown; a street photo has more`);
  for (const [i, a] of captions.entries()) {
    assert(inside(a, image), `at ${size} the caption "${a.text}" sticks out of the image`);
    for (const b of captions.slice(i + 1))
      assert(!overlap(a, b), `at ${size} the caption "${a.text}" covers "${b.text}"`);
  }
  const sideways = await panel.evaluate((e) => e.scrollWidth - e.clientWidth);
  assert(sideways <= 0, `at ${size} the panel scrolls sideways by ${sideways} px`);
  return captions.length;
}

export const crowdedPhotoJourney = journey(
  "a test run on a crowded street photo reads well at 1280x800 and 1920x1080: captions apart, nothing cut off",
  async ({ baseUrl, newContext, shot, shared }) => {
    const models = realModelsDir();
    if (models === undefined) {
      console.warn("e2e: ../shared/models is absent: the crowded photo journey is skipped");
      return;
    }
    const workspaceId = required(shared, "firstWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const flowId = await crowdedFlow(context.request, baseUrl, workspaceId, models);
    const page = await context.newPage();
    await page.goto(`${baseUrl}/w/${workspaceId}/flows/${flowId}`);
    await node(page, "Recognition").waitFor();

    await page.getByRole("tab", { name: "Test run" }).click();
    const chooser = page.waitForEvent("filechooser");
    await page.getByText("Choose image").click();
    await (await chooser).setFiles(path.join(models, PHOTO));
    await page.getByRole("button", { name: "Run test" }).click();
    await expectText(node(page, "Object Selector").locator("[data-outcome]"), /\d+ objects/);
    await expectText(node(page, "Recognition").locator("[data-outcome]"), /runs/);
    const shown = await checkLayout(page, "1280x800");
    await shot(page, `1280x800: ${shown} captions, none over another`);

    // Auto-layout spaces the nodes by their real heights (outcomes make them taller).
    await autoLayout(page, node(page, "Recognition"));
    const selector = await node(page, "Object Selector").boundingBox();
    const recognition = await node(page, "Recognition").boundingBox();
    assert(selector !== null && recognition !== null, "the nodes are not on screen");
    assert(!overlap(selector, recognition), "after Auto-layout the Object Selector covers the Recognition");

    // Hovering a caption shows it whole; clicking its box opens what ran on that object.
    const caption = page.locator("[data-caption]").first();
    await caption.hover();
    const cut = await caption.evaluate((e) => e.scrollWidth - e.clientWidth);
    assert(cut <= 0, `a hovered caption is still cut by ${cut} px`);
    await shot(page, "1280x800: a hovered caption shown whole");
    await caption.click();
    await expectText(page.locator("[data-config-panel]"), "Last test run");
    await expectText(page.locator("details[open][data-run-entry]"), /On object \d+/);
    await expectText(page.locator("[data-outcome-labels]"), /×\d/);
    // Opening nodes fills in their settings' defaults: that changes nothing, so nothing goes outdated.
    await node(page, "Object Selector").click();
    await node(page, "Recognition").click();
    await expectCount(page.locator("[data-stale-outcome]"), 0);
    const sideways = await page.locator("[role=tablist] + div").evaluate((e) => e.scrollWidth - e.clientWidth);
    assert(sideways <= 0, `the node panel scrolls sideways by ${sideways} px`);
    await shot(page, "1280x800: the clicked object's trace");

    await page.setViewportSize({ width: 1920, height: 1080 });
    // Auto-layout at this size too leaves the minimap's corner free (autoLayout checks it).
    await autoLayout(page, node(page, "Recognition"));
    await page.getByRole("tab", { name: "Test run" }).click();
    await new Promise((resolve) => setTimeout(resolve, 300));
    const wide = await checkLayout(page, "1920x1080");
    await shot(page, `1920x1080: ${wide} captions, none over another`);

    // A changed setting makes the outcomes below it outdated, and the header says the draft changed.
    await node(page, "Recognition").click();
    await page.getByLabel(/^Output field/).fill("kind2");
    await expectText(node(page, "Recognition"), "from an earlier test, settings changed since");
    await expectCount(node(page, "Object Selector").locator("[data-stale-outcome]"), 0);
    await expectText(page.locator("[data-config-panel] [data-stale-outcome]"), "settings changed since");
    await shot(page, "1920x1080: outdated outcome after a change");
  },
);
