/**
 * Flows that travel, on the real models of ../shared/models and at the window sizes people use: a flow
 * started from a template, its tasks chosen by mouse, tested on a street photo, exported, imported into
 * a second workspace (its tasks mapped by name), run there, and batch-tested on five photos. The tiny-model
 * journeys (travel, batch-test) cover the refusals; this one what a user reads with real outputs.
 */
import { mkdtempSync, readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { REAL_MODELS_MISSING, realModelsDir } from "../../flow-engine/src/testing/real-models";
import { assert, expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { autoLayout, node, saveVersion, trpc } from "./editor-kit";
import { checkTestRunView, createRealTasks, type RealTasks } from "./real-models-kit";

/** YOLOX nano finds 15 objects on it (10 of them sure enough for the template's 0.5); it keeps ten. */
const STREET = "imgs/ortex_test_object_detection_0.jpg";
const BATCH = [
  STREET,
  "imgs/ortex_test_object_detection_1.jpg",
  "imgs/yolox_dog.jpg",
  "imgs/ortex_horse-cart.jpg",
  "imgs/ortex_wolves.jpg",
];
const SIZES = [
  { width: 1280, height: 800 },
  { width: 1920, height: 1080 },
];

/** Runs the draft on the street photo and checks the outcome, the cost and what the panel shows. */
async function testStreet(page: Page, photo: string, size: string): Promise<void> {
  await page.getByRole("tab", { name: "Test run" }).click();
  const chooser = page.waitForEvent("filechooser");
  await page.getByText("Choose image").click();
  await (await chooser).setFiles(photo);
  await page.getByRole("button", { name: "Run test" }).click();
  await expectText(page.locator("[data-test-json]"), '"category"', { timeoutMs: 60_000 });
  await expectText(node(page, "Object Selector").locator("[data-outcome]"), "10 objects");
  await expectText(node(page, "Recognition").locator("[data-outcome]"), "10 runs");
  // The Object Selector and a Recognition on each of its ten objects: 1 credit each.
  await expectText(page.locator("[data-test-cost]"), /^cost 11 credits · [\d,]+ left$/);
  await checkTestRunView(page, size);
}

/** Whatever in the open dialog reaches past the window or scrolls sideways; empty when it all fits. */
async function dialogOverflow(page: Page): Promise<string[]> {
  return page.locator("dialog[open]").evaluate((dialog) => {
    const found: string[] = [];
    const box = dialog.getBoundingClientRect();
    if (box.left < 0 || box.right > window.innerWidth)
      found.push(`the dialog spans ${Math.round(box.left)}..${Math.round(box.right)} in ${window.innerWidth} px`);
    for (const el of [dialog, ...Array.from(dialog.querySelectorAll("*"))]) {
      const style = getComputedStyle(el);
      // A visually hidden file input (`sr-only`, 1 px wide) clips its own button on purpose.
      if (style.overflowX !== "visible" && el.clientWidth > 1 && el.scrollWidth > el.clientWidth + 1)
        found.push(`${el.tagName.toLowerCase()} scrolls sideways (${el.scrollWidth} px in ${el.clientWidth})`);
    }
    return found;
  });
}

/** The template's flow in `source`, tasks chosen by mouse, tested, saved; resolves to its export file. */
async function templateFlow(
  page: Page,
  baseUrl: string,
  source: string,
  name: string,
  models: string,
  size: string,
  shot: (p: Page, s: string) => Promise<void>,
): Promise<string> {
  await page.goto(`${baseUrl}/w/${source}/flows`);
  await page.getByRole("button", { name: "New from template" }).click();
  await page.getByRole("menuitem", { name: /Detect, then classify each object/ }).click();
  await page.getByLabel("Flow name").fill(name);
  await page.getByRole("button", { name: "Create and open" }).click();
  await node(page, "Recognition").waitFor();
  const panel = page.locator("[data-config-panel]");
  await node(page, "Object Selector").click({ position: { x: 16, y: 16 } });
  await panel.getByLabel("Task", { exact: true }).selectOption({ label: "COCO (detection)" });
  await node(page, "Recognition").click({ position: { x: 16, y: 16 } });
  await panel.getByLabel("Task", { exact: true }).selectOption({ label: "ImageNet (categorization)" });
  await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (0)");
  await autoLayout(page, node(page, "Recognition"));
  await shot(page, `${size}: the detect-then-classify template with its tasks chosen`);

  await testStreet(page, path.join(models, STREET), size);
  await shot(page, `${size}: the template's flow tested on a street photo`);
  await saveVersion(page, "street objects", 1);

  await page.getByRole("tab", { name: "Versions" }).click();
  const download = page.waitForEvent("download");
  await page.locator('[data-version="1"]').getByRole("button", { name: "Export" }).click();
  const file = path.join(mkdtempSync(path.join(tmpdir(), "vizflow-travel-real-")), "export.json");
  await (await download).saveAs(file);
  const exported = JSON.parse(readFileSync(file, "utf8")) as { tasks: { name: string; labels: string[] }[] };
  const labels = exported.tasks.map((t) => `${t.name}:${t.labels.length}`).sort();
  assert(labels.join() === "COCO:80,ImageNet:1000", `the export's tasks: ${labels.join()}`);
  return file;
}

/** Imports the file into `target`, tasks mapped by name; tests the flow there and batch-tests five photos. */
async function importAndRun(
  page: Page,
  baseUrl: string,
  target: string,
  tasks: RealTasks,
  file: string,
  models: string,
  size: string,
  shot: (p: Page, s: string) => Promise<void>,
): Promise<void> {
  await page.goto(`${baseUrl}/w/${target}/flows`);
  await page.getByRole("button", { name: "Import" }).click();
  const dialog = page.locator("dialog[open]");
  await dialog.getByLabel("Export file").setInputFiles(file);
  await dialog.locator("[data-import-preview]").waitFor();
  const coco = await dialog.getByLabel("Task for “COCO”").inputValue();
  const imagenet = await dialog.getByLabel("Task for “ImageNet”").inputValue();
  assert(coco === tasks.coco.id && imagenet === tasks.imagenet.id, "the tasks are not mapped by name");
  await expectCount(dialog.getByRole("alert"), 0);
  const wide = await dialogOverflow(page);
  assert(wide.length === 0, `at ${size} the import dialog does not fit: ${wide.join("; ")}`);
  await shot(page, `${size}: import dialog, tasks mapped by name`);
  await dialog.getByRole("button", { name: "Import and open" }).click();
  await node(page, "Recognition").waitFor();
  await autoLayout(page, node(page, "Recognition"));
  await testStreet(page, path.join(models, STREET), size);
  await shot(page, `${size}: the imported flow tested in the second workspace`);

  await page.getByRole("button", { name: "Batch test…" }).click();
  const chooser = page.waitForEvent("filechooser");
  await dialog.getByText("Choose images or zips").click();
  await (await chooser).setFiles(BATCH.map((photo) => path.join(models, photo)));
  await expectText(dialog.locator("[data-batch-count]"), "5 images");
  await dialog.getByRole("button", { name: "Run on 5 images" }).click();
  await expectText(
    dialog.locator("[data-batch-summary]"),
    /^5 images · 5 succeeded · 0 failed · cost [\d,]+ credits · [\d,]+ left$/,
    { timeoutMs: 180_000 },
  );
  await expectCount(dialog.locator('[data-outcome="ok"]'), 5);
  await expectText(dialog.locator(`[data-batch-row="${path.basename(STREET)}"]`), /_objects\s*10: /);
  await dialog.getByText("Per node").click();
  await expectText(dialog.locator("[data-batch-nodes]"), /Object Selector\s*5\s*[\d.]+ ms\s*5/);
  await dialog
    .locator(`[data-batch-row="${path.basename(STREET)}"]`)
    .getByRole("button", { name: "Nodes" })
    .click();
  const cut = await dialogOverflow(page);
  assert(cut.length === 0, `at ${size} the batch test does not fit: ${cut.join("; ")}`);
  await shot(page, `${size}: a batch test of five photos`);
  await dialog.getByRole("button", { name: "Close" }).click();
}

export const realTravelJourney = journey(
  "with the real models at 1280x800 and 1920x1080, a flow from a template is tested, exported, imported into a second workspace, run there and batch-tested on five photos",
  async ({ baseUrl, newContext, shot, shared }) => {
    const models = realModelsDir();
    if (models === undefined) {
      console.warn(`e2e: ${REAL_MODELS_MISSING}; the real-models travel journey is skipped`);
      return;
    }
    const context = await newContext(required(shared, "ownerState"));
    const call = <T>(procedure: string, input: unknown) => trpc<T>(context.request, baseUrl, procedure, input);
    const source = (await call<{ id: string }>("workspace.create", { name: "Real travel source" })).id;
    const target = (await call<{ id: string }>("workspace.create", { name: "Real travel target" })).id;
    await createRealTasks(context.request, baseUrl, source, models);
    const targetTasks = await createRealTasks(context.request, baseUrl, target, models);
    const page = await context.newPage();
    for (const viewport of SIZES) {
      const size = `${viewport.width}x${viewport.height}`;
      await page.setViewportSize(viewport);
      const file = await templateFlow(page, baseUrl, source, `Street objects ${size}`, models, size, shot);
      await importAndRun(page, baseUrl, target, targetTasks, file, models, size, shot);
    }
  },
);
