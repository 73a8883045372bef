import type { BrowserContext, Page } from "playwright-core";
import { REAL_MODELS_MISSING, realModelsDir } from "../../flow-engine/src/testing/real-models";
import { assert, expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { autoLayout, connectNodes, dropAction, newFlow, node, saveVersion, trpc } from "./editor-kit";
import { checkDeployedCall, checkTestRunView, createRealTasks } from "./real-models-kit";

/**
 * Two people, a dog and a dozen parked cars: YOLOX nano finds 15 objects by its preset's rule (the demo's: one
 * class per cell; 16 per class, where one box is also a second car), MobileNetV2 says "Irish wolfhound".
 */
const PHOTO = "imgs/ortex_test_object_detection_0.jpg";

/** Selects `parent` and clicks `ref` in the palette: the new node lands below it, on its first handle. */
async function addUnder(page: Page, parent: string, ref: string, title: string): Promise<void> {
  await select(page, parent);
  await page.locator(`[data-palette-action="${ref}"]`).click();
  await node(page, title).waitFor();
  await autoLayout(page, node(page, title));
  await expectText(page.locator("[data-config-panel] h2"), title);
}

/** Clicks a node by its title bar, as a user does (the middle of a node may hold its handles' captions). */
async function select(page: Page, title: string): Promise<void> {
  await node(page, title).click({ position: { x: 16, y: 16 } });
}

/** Picks a label in a searchable label picker by typing part of it and clicking the exact match. */
async function pickLabel(page: Page, picker: string, typed: string, label: string): Promise<void> {
  const panel = page.locator("[data-config-panel]");
  await panel.getByRole("combobox", { name: `Search ${picker.toLowerCase()} to add` }).fill(typed);
  const option = panel.getByRole("listbox", { name: picker }).getByRole("option", { name: label, exact: true });
  await option.click();
  await expectText(panel.locator(`[data-chip="${label}"]`), label);
}

/** Runs the draft on the photo; resolves to the balance the panel says is left after the run's cost. */
async function testRun(page: Page, file: string): Promise<number> {
  await page.getByRole("tab", { name: "Test run" }).click();
  const chooser = page.waitForEvent("filechooser");
  await page.getByText("Choose image").click();
  await (await chooser).setFiles(file);
  await page.getByRole("button", { name: "Run test" }).click();
  await expectText(page.locator("[data-test-json]"), '"Irish wolfhound"');
  // Billed like a call: 5 steps of 1 credit and a Recognition on each of the 10 objects.
  const cost = await expectText(page.locator("[data-test-cost]"), /^cost 15 credits · \d+ left$/);
  return Number(/(\d+) left/.exec(cost)?.[1]);
}

/** The small flow the big one nests: image quality of whatever it is given, saved and deployed. */
async function buildInnerFlow(
  page: Page,
  baseUrl: string,
  workspaceId: string,
  shot: (p: Page, s: string) => Promise<void>,
) {
  await newFlow(page, baseUrl, workspaceId, "Image check");
  await addUnder(page, "Input", "quality/measure@1", "Image quality");
  await saveVersion(page, "image quality", 1);
  await page.getByRole("button", { name: "Deploy", exact: true }).click();
  await page.getByRole("button", { name: "Deploy version 1" }).click();
  await expectText(page.locator("dialog[open]"), "Version 1 is live.");
  await page.locator("dialog[open]").getByRole("button", { name: "Close" }).click();
  await shot(page, "the nested flow, saved and deployed");
}

/**
 * The journey on the real models of ../shared/models: every core action built by mouse and keyboard
 * at 1280x800 (Detection, Object Selector and Recognition per object, a Branch Selector on the 1,000
 * ImageNet labels with a service on each branch, a Condition through every kind of operator, a List, a
 * Nested Flow), tested on a street photo, saved, deployed and called over HTTP; then the same test run
 * at 1920x1080.
 */
export const realModelsJourney = journey(
  "with the real models (MobileNetV2 on ImageNet, YOLOX nano on COCO) an editor builds every core action by mouse, tests on a street photo at 1280x800 and 1920x1080, saves, deploys and calls it",
  async ({ baseUrl, browser, newContext, shot, shared }) => {
    const models = realModelsDir();
    if (models === undefined) {
      console.warn(`e2e: ${REAL_MODELS_MISSING}; the real-models journey is skipped`);
      return;
    }
    const photo = `${models}${PHOTO}`;
    const state = required(shared, "ownerState");
    const context = await newContext(state);
    const call = <T>(procedure: string, input: unknown) => trpc<T>(context.request, baseUrl, procedure, input);
    const workspaceId = (await call<{ id: string }>("workspace.create", { name: "Real models" })).id;
    await createRealTasks(context.request, baseUrl, workspaceId, models);
    const page = await context.newPage();
    await buildInnerFlow(page, baseUrl, workspaceId, shot);

    await newFlow(page, baseUrl, workspaceId, "Street scene");
    const panel = page.locator("[data-config-panel]");
    const problems = page.getByRole("tab", { name: /Problems/ });

    // Detection and the Object Selector both write the objects of the image: a List runs them in turn.
    await addUnder(page, "Input", "core/list@1", "List");
    await select(page, "List");
    await panel.getByLabel("sequence").check();
    await addUnder(page, "List", "core/detection@1", "Detection");
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "COCO (detection)" });
    await addUnder(page, "List", "core/object-selector@1", "Object Selector");
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "COCO (detection)" });
    await pickLabel(page, "Labels", "pers", "person");
    await pickLabel(page, "Labels", "do", "dog");
    await pickLabel(page, "Labels", "car", "car");
    await shot(page, "object selector: three of the 80 COCO labels found by typing");
    await addUnder(page, "Object Selector", "core/recognition@1", "Recognition");
    await expectText(node(page, "Recognition"), "per object");
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "ImageNet (categorization)" });
    await panel.getByLabel(/^Output field/).fill("kind");
    await shot(page, "recognition on the imagenet task for each object");

    // The Condition's value follows its operator: text, a list, a number, nothing.
    await addUnder(page, "Detection", "core/condition@1", "Condition");
    const test = panel.locator('[data-array-item="0"]');
    const operator = test.getByLabel(/^Operator/);
    const value = test.getByLabel("Value", { exact: true });
    await test.getByLabel("Field", { exact: true }).fill("_objects.0.name");
    for (const [op, text] of [
      ["==", "car"],
      ["!=", "dog"],
      ["contains", "ca"],
    ] as const) {
      await operator.selectOption(op);
      await value.fill(text);
      await expectText(problems, "Problems (0)");
    }
    await shot(page, "condition: contains takes text");
    // A list operator takes the text as a list of one; the other list operator keeps the list.
    const add = test.getByLabel("Add to values");
    const chips = test.locator("[data-chip]");
    await operator.selectOption("in");
    await expectText(chips, "ca");
    await test.getByRole("button", { name: "Remove ca" }).click();
    for (const label of ["car", "person"]) {
      await add.fill(label);
      await add.press("Enter");
    }
    await expectCount(chips, 2);
    await expectText(problems, "Problems (0)");
    await operator.selectOption("not_in");
    await expectCount(chips, 2);
    await test.getByRole("button", { name: "Remove car" }).click();
    await test.getByRole("button", { name: "Remove person" }).click();
    await add.fill("cat");
    await test.getByRole("button", { name: "Add", exact: true }).click();
    await expectCount(chips, 1);
    await expectText(problems, "Problems (0)");
    await shot(page, "condition: not_in takes a list");
    await test.getByLabel("Field", { exact: true }).fill("_objects.0.prob");
    await operator.selectOption(">=");
    await value.fill("0.5");
    await expectText(problems, "Problems (0)");
    await operator.selectOption("exists");
    await expectCount(test.locator("[data-test-value]"), 0);
    await expectText(problems, "Problems (0)");
    // The test left in place: is there a person among the objects the Detection found?
    await test.getByLabel("Field", { exact: true }).fill("_objects");
    await operator.selectOption("contains");
    await value.fill("person");
    await expectText(problems, "Problems (0)");
    await shot(page, "condition: the test left is a person among the objects");

    await addUnder(page, "Condition", "core/nested-flow@1", "Nested Flow");
    await panel.getByLabel("Flow", { exact: true }).selectOption({ label: "Image check" });
    await expectText(panel.getByLabel("Version", { exact: true }), "now v1");
    // Its fields go under their own name: the Image quality on a branch below writes "quality" too.
    await panel.getByLabel(/^Output field/).fill("inner");

    // A Branch Selector on the 1,000 ImageNet labels: two found by typing, a service on each branch.
    await addUnder(page, "Input", "core/branch-selector@1", "Branch Selector");
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "ImageNet (categorization)" });
    await pickLabel(page, "Branches", "wolfh", "Irish wolfhound");
    await pickLabel(page, "Branches", "deerh", "Scottish deerhound");
    await panel.getByLabel(/^Output field/).fill("scene");
    await shot(page, "branch selector: two of the 1000 imagenet labels found by typing");
    // Its handles come back with the draft's check: click-to-add takes the first one once it is drawn.
    await expectCount(node(page, "Branch Selector").locator(".react-flow__handle.source"), 3);
    await addUnder(page, "Branch Selector", "colors/dominant@1", "Dominant colours");
    const pane = await page.locator(".react-flow__pane").boundingBox();
    const colours = await node(page, "Dominant colours").boundingBox();
    if (!pane || !colours) throw new Error("the canvas did not render");
    // Dropped under the Dominant colours (the fit after Auto-layout may put that at the canvas's right edge).
    await dropAction(page, "quality/measure@1", {
      x: colours.x - pane.x + colours.width / 2,
      y: colours.y - pane.y + colours.height + 80,
    });
    await node(page, "Image quality").waitFor();
    await connectNodes(page, "Branch Selector", "branch:Scottish deerhound", "Image quality");
    await autoLayout(page, node(page, "Image quality"));
    // Input, List (2), Object Selector, Detection, Condition, Branch Selector (2): nine edges.
    await expectCount(page.locator(".react-flow__edge"), 9);
    await expectText(problems, "Problems (0)");
    await shot(page, "every core action, built by mouse");

    const balance = await testRun(page, photo);
    // YOLOX finds 15 objects; the Object Selector keeps its default ten of the 14 people, dogs and cars, and
    // says it left 4 out; the Recognition runs once on each.
    await expectText(node(page, "Detection").locator("[data-outcome]"), "15 objects");
    await expectCount(node(page, "Detection").locator("[data-outcome-dropped]"), 0);
    await expectText(node(page, "Object Selector").locator("[data-outcome]"), "10 objects");
    await expectText(node(page, "Object Selector").locator("[data-outcome-dropped]"), "4 more left out by a cap");
    await expectText(node(page, "Recognition").locator("[data-outcome]"), "10 runs");
    await expectText(node(page, "Branch Selector").locator("[data-outcome]"), "✓ Irish wolfhound");
    await expectText(node(page, "Condition").locator("[data-outcome]"), "→ true");
    await expectText(node(page, "Dominant colours").locator("[data-outcome]"), /✓/);
    await expectText(node(page, "Image quality"), "skipped");
    assert((await page.locator("[data-box]").count()) >= 4, "fewer than four boxes on the street photo");
    await expectCount(page.locator('[data-box^="dog"]'), 1);
    await shot(page, "test run at 1280x800: outcomes on the nodes, boxes on the photo");
    await checkTestRunView(page, "1280x800");
    // The dog's box opens what ran on the dog: the Recognition's trace for that object.
    await page.locator('[data-box^="dog"]').click();
    await expectText(page.locator("[data-config-panel]"), "Last test run");
    await expectText(page.locator("details[open][data-run-entry]"), /On object \d+/);
    await expectText(page.locator("details[open][data-run-entry]"), '"name": "dog"');
    await shot(page, "the dog's box opens the recognition of that object");

    await saveVersion(page, "every core action on real models", 1);
    const flowUrl = page.url();
    const flowId = new URL(flowUrl).pathname.split("/").pop() ?? "";
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByRole("button", { name: "Deploy version 1" }).click();
    await expectText(dialog, "Version 1 is live.");
    await shot(page, "deployed");
    await dialog.getByRole("link", { name: "create an API token" }).click();
    await page.fill("#token-name", "Street scene client");
    await page.getByRole("button", { name: "Create token" }).click();
    const key = await page.locator("#new-token-key").inputValue({ timeout: 15_000 });
    await shot(page, "a token for the street scene flow");

    await checkDeployedCall(baseUrl, flowId, key, photo);

    // The same test-run view on a large screen.
    let large: BrowserContext | undefined;
    try {
      large = await browser.newContext({
        viewport: { width: 1920, height: 1080 },
        storageState: JSON.parse(state) as never,
      });
      const big = await large.newPage();
      await big.goto(flowUrl);
      await node(big, "Branch Selector").waitFor();
      // Ten nodes laid out on a large screen: none under the minimap or the zoom buttons (autoLayout checks).
      await autoLayout(big, node(big, "Image quality"));
      // Both test runs and the call are billed: 15 credits each.
      const after = await testRun(big, photo);
      assert(after === balance - 30, `the balance went from ${balance} to ${after}, not down by 30`);
      await expectText(node(big, "Branch Selector").locator("[data-outcome]"), "✓ Irish wolfhound");
      await shot(big, "test run at 1920x1080");
      await checkTestRunView(big, "1920x1080");
    } finally {
      await large?.close();
    }
  },
);
