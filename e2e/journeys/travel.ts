import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { APIRequestContext } from "playwright-core";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import { COLOUR_CLASSIFIER_ADAPTER, colourClassifierModel } from "../../flow-engine/src/testing/tiny-models";
import { assert, expectText } from "../expect";
import { journey, required } from "../harness";
import { node, saveVersion, trpc } from "./editor-kit";

async function uploadColourModel(request: APIRequestContext, baseUrl: string, workspaceId: string, taskId: string) {
  const adapter = COLOUR_CLASSIFIER_ADAPTER;
  const response = await request.post(`${baseUrl}/api/workspaces/${workspaceId}/tasks/${taskId}/model-versions`, {
    multipart: {
      adapter: JSON.stringify(adapter),
      activate: "true",
      file: { name: "model.onnx", mimeType: "application/octet-stream", buffer: Buffer.from(colourClassifierModel()) },
    },
  });
  if (response.status() !== 201) throw new Error(`model upload: ${response.status()} ${await response.text()}`);
}

/**
 * A flow version exported from one workspace and imported into another: the file downloads from the
 * Versions tab, the import dialog maps one task by name and one by choice (and warns about a task that
 * lacks a label), the imported flow runs there; then a template starts a flow, and the deploy dialog shows
 * the call in three languages with the flow's id.
 */
export const travelJourney = journey(
  "flows travel: export a version, import it into a second workspace mapping its tasks, run it there; start a flow from a template; the deploy dialog's call in curl, JavaScript and Python",
  async ({ baseUrl, newContext, shot, shared }) => {
    const context = await newContext(required(shared, "ownerState"));
    const request = context.request;
    const page = await context.newPage();
    const call = <T>(procedure: string, input: unknown, kind: "query" | "mutation" = "mutation") =>
      trpc<T>(request, baseUrl, procedure, input, kind);

    const source = (await call<{ id: string }>("workspace.create", { name: "Travel source" })).id;
    const target = (await call<{ id: string }>("workspace.create", { name: "Travel target" })).id;
    const task = async (workspaceId: string, name: string, type: string, labels: string[]) =>
      (await call<{ id: string }>("task.create", { workspaceId, name, type, labels })).id;
    const colours = await task(source, "Colours", "categorization", ["red", "green", "blue"]);
    const shapes = await task(source, "Shapes", "detection", ["thing"]);
    const targetColours = await task(target, "Colours", "categorization", ["red", "green", "blue"]);
    await task(target, "Warm colours", "categorization", ["red", "orange"]);
    await task(target, "Kitchen things", "detection", ["thing", "cup"]);
    await uploadColourModel(request, baseUrl, target, targetColours);

    const flow = (await call<{ id: string }>("flow.create", { workspaceId: source, name: "Colour router" })).id;
    const graph = {
      schema: 1,
      nodes: [
        { id: "input", action: "core/input@1", config: {}, position: { x: 0, y: 0 }, label: "Input" },
        {
          id: "colour",
          action: "core/branch-selector@1",
          config: { task: colours, branches: ["red", "blue"], output: "colour" },
          position: { x: 0, y: 140 },
          label: "Which colour",
        },
        {
          id: "things",
          action: "core/object-selector@1",
          config: { task: shapes, labels: ["thing"] },
          position: { x: -160, y: 300 },
        },
      ],
      edges: [
        { id: "e1", source: "input", sourceHandle: "next", target: "colour" },
        { id: "e2", source: "colour", sourceHandle: "branch:red", target: "things" },
      ],
    };
    await call("flowVersion.save", {
      workspaceId: source,
      flowId: flow,
      graph,
      message: "to share",
      expectedLatestVersion: 0,
    });

    // Export from the Versions tab: the browser downloads the file.
    await page.goto(`${baseUrl}/w/${source}/flows/${flow}`);
    await node(page, "Which colour").waitFor();
    await page.getByRole("tab", { name: "Versions" }).click();
    const download = page.waitForEvent("download");
    await page.locator('[data-version="1"]').getByRole("button", { name: "Export" }).click();
    const file = path.join(mkdtempSync(path.join(tmpdir(), "vizflow-travel-")), "export.json");
    const downloaded = await download;
    assert(
      downloaded.suggestedFilename() === "colour-router-v1.vizflow.json",
      `unexpected file name ${downloaded.suggestedFilename()}`,
    );
    await downloaded.saveAs(file);
    const exported = JSON.parse(readFileSync(file, "utf8")) as { format: string; tasks: { name: string }[] };
    assert(exported.format === "vizflow.flow-export", `the download is not an export: ${exported.format}`);
    assert(exported.tasks.map((t) => t.name).join() === "Colours,Shapes", `tasks: ${JSON.stringify(exported.tasks)}`);
    await shot(page, "versions tab with export");

    // The second workspace is empty: templates and the import button.
    await page.goto(`${baseUrl}/w/${target}/flows`);
    await expectText(page.getByRole("region", { name: "Start from a template" }), "Faces and their expressions");
    await shot(page, "empty flows page with templates");
    await page.getByRole("button", { name: "Import" }).click();
    const dialog = page.locator("dialog[open]");
    await dialog.getByLabel("Export file").setInputFiles(file);
    await expectText(dialog.locator("[data-import-preview]"), "Colour router");
    const coloursPicker = dialog.getByLabel("Task for “Colours”");
    assert((await coloursPicker.inputValue()) === targetColours, "Colours is not preselected by name");
    await coloursPicker.selectOption({ label: "Warm colours (lacks blue)" });
    await expectText(dialog.getByRole("alert").first(), "names label “blue”, which “Warm colours” lacks");
    await shot(page, "import dialog warns about a missing label");
    await coloursPicker.selectOption(targetColours);
    await dialog.getByLabel("Task for “Shapes”").selectOption({ label: "Kitchen things" });
    await shot(page, "import dialog with tasks mapped");
    await dialog.getByRole("button", { name: "Import and open" }).click();
    await node(page, "Which colour").waitFor();
    const imported = /\/flows\/([^/?#]+)/.exec(page.url())?.[1];
    assert(imported !== undefined, `not in the editor: ${page.url()}`);
    await shot(page, "imported flow in the editor");

    // It runs in the target workspace, on the target's colour model: a test run in the editor.
    const blue = path.join(path.dirname(file), "blue.png");
    writeFileSync(blue, await toPng(solid(16, 16, [10, 20, 240])));
    await saveVersion(page, "imported", 1);
    await page.getByRole("tab", { name: "Test run" }).click();
    const chooser = page.waitForEvent("filechooser");
    await page.getByText("Choose image").click();
    await (await chooser).setFiles(blue);
    await page.getByRole("button", { name: "Run test" }).click();
    await expectText(page.locator("[data-test-json]"), '"blue"');

    // The deploy dialog: the call with the flow's id in three languages, the schema, the test run as example.
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await page.getByRole("button", { name: "Deploy version 1" }).click();
    await expectText(dialog, "Version 1 is live.");
    for (const language of ["curl", "JavaScript", "Python"]) {
      await dialog.getByRole("tab", { name: language }).click();
      await expectText(dialog.getByRole("tabpanel"), `/v2/flows/${imported}/process`);
    }
    await dialog.locator("[data-example-response] summary").click();
    await expectText(dialog.locator("[data-example-response]"), '"best_label"');
    await shot(page, "deploy dialog with python call and the test run as example");
    await dialog.locator("[data-response-schema] summary").click();
    await expectText(dialog.locator("[data-response-schema]"), '"records"');
    await shot(page, "deploy dialog with python call and response schema");

    // Its token link opens the token page on this flow: the new key's call names the flow and the key.
    await dialog.getByRole("link", { name: "create an API token" }).click();
    await page.fill("#token-name", "Travel client");
    await page.getByRole("button", { name: "Create token" }).click();
    const key = await page.locator("#new-token-key").inputValue({ timeout: 15_000 });
    const snippet = await expectText(page.locator("[data-snippet]"), `/v2/flows/${imported}/process`);
    assert(snippet.includes(`Token ${key}`), `the token page's call lacks the key: ${snippet}`);
    await page.getByRole("tab", { name: "Python" }).click();
    await expectText(page.locator("[data-snippet]"), "requests.post(");
    await shot(page, "token page call for the imported flow");

    // A template makes a flow that opens in the editor.
    await page.goto(`${baseUrl}/w/${target}/flows`);
    await page.getByRole("button", { name: "New from template" }).click();
    await page.getByRole("menuitem", { name: /Read the text of documents/ }).click();
    await page.getByRole("button", { name: "Create and open" }).click();
    await node(page, "Text recognition (OCR)").waitFor();
    await shot(page, "flow from the OCR template");
  },
);
