import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { paint, toPng } from "../../flow-engine/src/testing/images";
import { COLOUR_CLASSIFIER_ADAPTER, colourClassifierModel } from "../../flow-engine/src/testing/tiny-models";
import { assert, expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { autoLayout, connectNodes, dropAction, newFlow, node, saveVersion, trpc } from "./editor-kit";

const THOUSAND = Array.from({ length: 1000 }, (_, i) => `label ${i}`);

/**
 * A Branch Selector and a Condition built by mouse and keyboard only: labels found by typing among
 * 1,000, a branch handle connected right after its label was picked, a test on a text value.
 */
export const branchingJourney = journey(
  "an editor branches on a label with a Branch Selector and tests a text value with a Condition, by mouse",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const colours = await trpc<{ id: string }>(context.request, baseUrl, "task.create", {
      workspaceId,
      name: "Branch colours",
      type: "categorization",
      labels: ["red", "green", "blue"],
    });
    await trpc(context.request, baseUrl, "task.create", {
      workspaceId,
      name: "Thousand labels",
      type: "categorization",
      labels: THOUSAND,
    });
    const upload = await context.request.post(
      `${baseUrl}/api/workspaces/${workspaceId}/tasks/${colours.id}/model-versions`,
      {
        multipart: {
          adapter: JSON.stringify(COLOUR_CLASSIFIER_ADAPTER),
          activate: "true",
          file: {
            name: "model.onnx",
            mimeType: "application/octet-stream",
            buffer: Buffer.from(colourClassifierModel()),
          },
        },
      },
    );
    assert(upload.status() === 201, `model upload: ${upload.status()} ${await upload.text()}`);
    const page = await context.newPage();
    await newFlow(page, baseUrl, workspaceId, "Branch on colour");

    const input = await node(page, "Input").boundingBox();
    const pane = await page.locator(".react-flow__pane").boundingBox();
    if (!input || !pane) throw new Error("the canvas did not render");
    const below = (dx: number, dy: number) => ({ x: input.x - pane.x + dx, y: input.y - pane.y + dy });
    await dropAction(page, "core/branch-selector@1", below(10, 150));
    await connectNodes(page, "Input", undefined, "Branch Selector");
    await node(page, "Branch Selector").click();
    // A new Branch Selector starts clean: no null branch, no handle for it.
    await expectCount(node(page, "Branch Selector").locator(".react-flow__handle.source"), 1);
    await expectCount(page.locator('[data-handleid="branch:null"]'), 0);

    const panel = page.locator("[data-config-panel]");
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "Thousand labels (categorization)" });
    const search = panel.getByRole("combobox", { name: "Search branches to add" });
    await search.fill("label 99");
    const options = panel.getByRole("listbox", { name: "Branches" }).getByRole("option");
    await expectText(options.first(), "label 99");
    await expectCount(options, 11);
    // Arrows move through the matches; Enter picks the active one.
    await search.press("ArrowDown");
    await search.press("ArrowUp");
    await search.press("Enter");
    await expectText(panel.locator('[data-chip="label 99"]'), "label 99");
    await search.fill("");
    await expectText(panel.locator("[data-label-picker]"), "950 more; type to narrow.");
    await shot(page, "branch selector: labels found by typing among 1000");

    // Another task: the label it does not have is marked and can be removed.
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "Branch colours (categorization)" });
    await expectText(panel.locator('[data-chip="label 99"]'), "not a label of Branch colours");
    await panel.getByRole("button", { name: "Remove label 99" }).click();
    await expectCount(panel.locator("[data-chip]"), 0);
    await search.fill("re");
    await options.filter({ hasText: /^red$/ }).click();
    await search.fill("blu");
    await search.press("Enter");
    await expectCount(panel.locator("[data-chip]"), 2);
    await expectCount(node(page, "Branch Selector").locator(".react-flow__handle.source"), 3);

    // The handle drawn for the label just picked connects at once, without a reload.
    await dropAction(page, "core/recognition@1", below(10, 300));
    await connectNodes(page, "Branch Selector", "branch:red", "Recognition");
    await expectCount(page.locator(".react-flow__edge"), 2);
    await node(page, "Recognition").click();
    await panel.getByLabel("Task", { exact: true }).selectOption({ label: "Branch colours (categorization)" });
    await panel.getByLabel(/^Output field/).fill("colour");
    // The Branch Selector above already runs this model on the same image: the panel says so.
    await expectText(
      panel.locator("[data-model-rerun]"),
      "“Branch Selector” above already runs the task “Branch colours”",
    );
    // A categorization task has no tagging threshold to set.
    await expectCount(panel.getByLabel("Tagging threshold"), 0);

    // Click-to-add under the selected Recognition places the Condition and connects it.
    await page.locator('[data-palette-action="core/condition@1"]').click();
    await expectCount(page.locator(".react-flow__edge"), 3);
    await autoLayout(page, node(page, "Condition"));
    await node(page, "Condition").click();
    await expectText(panel.locator('[data-array-field="Tests"]'), "+ Add test");
    await panel.getByLabel("Field", { exact: true }).fill("colour.best_label.name");
    await panel.getByLabel(/^Operator/).selectOption("==");
    await panel.getByLabel("Value", { exact: true }).fill("red");
    await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (0)");
    await shot(page, "condition: a test on a text value");

    // A second test takes a list for `in`, then nothing for `exists`.
    await panel.getByRole("button", { name: "+ Add test" }).click();
    const second = panel.locator('[data-array-item="1"]');
    await second.getByLabel("Field", { exact: true }).fill("colour.best_label.name");
    await second.getByLabel(/^Operator/).selectOption("in");
    const add = second.getByLabel("Add to values");
    await add.fill("red");
    await add.press("Enter");
    await add.fill("blue");
    await second.getByRole("button", { name: "Add", exact: true }).click();
    await expectCount(second.locator("[data-chip]"), 2);
    await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (0)");
    await shot(page, "condition: a list of values for in");
    await second.getByLabel(/^Operator/).selectOption("exists");
    await expectCount(second.locator("[data-test-value]"), 0);
    await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (0)");

    // Undo is the editor's even while typing: the palette search keeps its text, the test comes back.
    const paletteSearch = page.getByPlaceholder("Search actions");
    await paletteSearch.fill("cond");
    await paletteSearch.fill("");
    await new Promise((resolve) => setTimeout(resolve, 1600));
    await panel.getByRole("button", { name: "Remove test 2" }).click();
    await expectCount(panel.locator("[data-array-item]"), 1);
    await panel.getByLabel("Value", { exact: true }).click();
    await page.keyboard.press("Control+z");
    assert((await paletteSearch.inputValue()) === "", "Ctrl+Z put text back into the palette search");
    await node(page, "Condition").click();
    await expectCount(panel.locator("[data-array-item]"), 2);
    await panel.getByLabel("Value", { exact: true }).click();
    await page.keyboard.press("Control+Shift+z");
    await node(page, "Condition").click();
    await expectCount(panel.locator("[data-array-item]"), 1);

    await page.getByRole("tab", { name: "Test run" }).click();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vizflow-branching-e2e-")), "red.png");
    writeFileSync(file, await toPng(paint(32, 32, () => [220, 20, 20])));
    const chooser = page.waitForEvent("filechooser");
    await page.getByText("Choose image").click();
    await (await chooser).setFiles(file);
    await page.getByRole("button", { name: "Run test" }).click();
    await expectText(node(page, "Branch Selector").locator("[data-outcome]"), "→ red");
    await expectText(node(page, "Condition").locator("[data-outcome]"), /true/);
    await shot(page, "branch and condition after a test run");
    await saveVersion(page, "branch on colour", 1);
  },
);
