import { existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { installedTestFont, NO_TEST_FONT } from "../../flow-engine/src/testing/fonts";
import { svgToPng } from "../../flow-engine/src/testing/images";
import { assert, expectCount, expectText } from "../expect";
import { journey, required } from "../harness";
import { autoLayout, connectNodes, dropAction, newFlow, node, saveVersion, trpc } from "./editor-kit";

/** The group photo of the shared models folder: four faces. Absent outside CI and our machines. */
const GROUP_PHOTO = path.resolve(
  import.meta.dirname,
  "..",
  "..",
  "..",
  "shared",
  "models",
  "ultraface",
  "imgs",
  "2.jpg",
);
const TEXT = "Invoice 4711 paid";

/** The font the OCR text is drawn in; the journey cannot read text without one. */
function font(): string {
  const family = installedTestFont();
  if (family === undefined) throw new Error(NO_TEST_FONT);
  return family;
}

/** Dark text on white, rendered here so the OCR's answer is known. */
async function textImage(): Promise<string> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="520" height="110">
    <rect width="100%" height="100%" fill="white"/>
    <text x="24" y="68" font-family="${font()}" font-size="42" fill="#111">${TEXT}</text></svg>`;
  const file = path.join(mkdtempSync(path.join(tmpdir(), "vizflow-services-e2e-")), "invoice.png");
  writeFileSync(file, await svgToPng(svg));
  return file;
}

async function testRun(page: Page, file: string): Promise<void> {
  await page.getByRole("tab", { name: "Test run" }).click();
  const chooser = page.waitForEvent("filechooser");
  await page.getByText("Choose image").click();
  await (await chooser).setFiles(file);
  await page.getByRole("button", { name: "Run test" }).click();
}

/** Selects `parent` and clicks `ref` in the palette: the new node lands below it, on its first handle. */
async function addUnder(page: Page, parent: string, ref: string, title: string): Promise<void> {
  await node(page, parent).click();
  await page.locator(`[data-palette-action="${ref}"]`).click();
  await node(page, title).waitFor();
}

/**
 * The four ready-to-use services, built into one flow with the mouse from the palette: OCR, image quality
 * and dominant colours in a chain with a Condition on the measured sharpness, and face detection with the
 * expression of each face. Tested on the canvas, deployed, and called over HTTP.
 */
export const servicesJourney = journey(
  "an editor builds a flow from the four ready-to-use services in the palette, tests it on a text image and a group photo, and calls it deployed",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const page = await context.newPage();

    // What each service returns and costs, before using it.
    await page.goto(`${baseUrl}/w/${workspaceId}/services`);
    const ocrCard = page.locator("li", { has: page.getByRole("heading", { name: "Text recognition (OCR)" }) });
    await expectText(ocrCard, "2 credits per call");
    await expectText(ocrCard, "Each object has text (string)");
    await expectText(page.locator("main"), "quality.sharpness: number");
    await shot(page, "the services page");

    await newFlow(page, baseUrl, workspaceId, "Services");

    const services = page.getByRole("navigation", { name: "Actions" });
    for (const title of ["Text recognition (OCR)", "Image quality", "Dominant colours", "Face detection"])
      await expectText(services, title);
    await shot(page, "the services in the palette");

    await addUnder(page, "Input", "ocr/read-text@1", "Text recognition (OCR)");
    await addUnder(page, "Text recognition (OCR)", "quality/measure@1", "Image quality");
    await addUnder(page, "Image quality", "colors/dominant@1", "Dominant colours");
    await addUnder(page, "Dominant colours", "core/condition@1", "Condition");
    await addUnder(page, "Input", "faces/detect@1", "Face detection");
    await autoLayout(page, node(page, "Face detection"));
    // The expression runs on each face: dragged in, and connected to the detection's "Each face" handle.
    const faces = await node(page, "Face detection").boundingBox();
    const pane = await page.locator(".react-flow__pane").boundingBox();
    if (!faces || !pane) throw new Error("the canvas did not render");
    await dropAction(page, "faces/expression@1", { x: faces.x - pane.x + 40, y: faces.y - pane.y + 140 });
    await node(page, "Facial expression").waitFor();
    await connectNodes(page, "Face detection", "objects", "Facial expression");
    await expectCount(page.locator(".react-flow__edge"), 6);
    await expectText(node(page, "Facial expression"), "per object");
    await autoLayout(page, node(page, "Face detection"));
    await shot(page, "the flow, built from the palette");

    // A service node's form is the service's own: its settings, its credits.
    await node(page, "Text recognition (OCR)").click();
    const panel = page.locator("[data-config-panel]");
    await expectText(panel.locator("[data-service-credits]"), "2 credits per call");
    await page.getByLabel("Minimum text probability").fill("0.6");
    await shot(page, "OCR settings from the service's own schema");
    await node(page, "Dominant colours").click();
    await page.getByLabel("Colours", { exact: true }).fill("3");
    await page.getByLabel("Ignore a plain background").check();
    await page.getByLabel("Ignore a plain background").uncheck();

    // The Condition offers what the services upstream write; it tests the sharpness the quality service measured.
    await node(page, "Condition").click();
    for (const field of ["text", "quality.sharpness", "colors.colors"])
      await expectCount(page.locator(`[data-config-panel] datalist option[value="${field}"]`), 1);
    await page.getByLabel("Field").fill("quality.sharpness");
    await page.getByLabel("Operator").selectOption(">=");
    await page.getByLabel("Value").fill("50");
    await expectText(page.getByRole("tab", { name: /Problems/ }), "Problems (0)");
    await shot(page, "condition on a field a service writes");

    await testRun(page, await textImage());
    await expectText(node(page, "Text recognition (OCR)").locator("[data-outcome]"), `“${TEXT}”`);
    await expectText(node(page, "Image quality").locator("[data-outcome]"), /sharpness \d+/);
    await expectText(node(page, "Dominant colours").locator("[data-outcome]"), /^✓ white/);
    await expectText(node(page, "Condition").locator("[data-outcome]"), "→ true");
    await expectText(page.locator("[data-test-json]"), `"text": "${TEXT}"`);
    await shot(page, "test run on the text image");

    if (existsSync(GROUP_PHOTO)) {
      await testRun(page, GROUP_PHOTO);
      await expectText(node(page, "Face detection").locator("[data-outcome]"), "4 objects");
      await expectText(node(page, "Facial expression").locator("[data-outcome]"), "4 runs");
      await expectCount(page.locator('[data-box^="face"]'), 4);
      await shot(page, "test run on the group photo: four faces and their expressions");
    } else {
      console.warn(`e2e: ${GROUP_PHOTO} is absent (../shared/models): the faces test run is skipped`);
    }

    await saveVersion(page, "four services", 1);
    await page.getByRole("button", { name: "Deploy", exact: true }).click();
    await page.getByRole("button", { name: "Deploy version 1" }).click();
    await expectText(page.locator("dialog[open]"), "Version 1 is live.");
    await page.locator("dialog[open]").getByRole("button", { name: "Close" }).click();

    // As an application would: a token, the response schema, and a call.
    const flowId = new URL(page.url()).pathname.split("/").pop() ?? "";
    const { key } = await trpc<{ key: string }>(context.request, baseUrl, "apiToken.create", {
      workspaceId,
      name: "Services e2e",
    });
    const headers = { authorization: `Token ${key}`, "content-type": "application/json" };
    const schemaResponse = await fetch(`${baseUrl}/v2/flows/${flowId}/schema`, { headers });
    const schema = (await schemaResponse.json()) as {
      properties: { records: { items: { properties: Record<string, { properties?: Record<string, unknown> }> } } };
    };
    const written = schema.properties.records.items.properties;
    for (const field of ["text", "quality", "colors", "face_count"])
      assert(written[field] !== undefined, `the response schema lacks "${field}": ${JSON.stringify(written)}`);
    assert(
      written.quality?.properties?.sharpness !== undefined,
      `the response schema lacks quality.sharpness: ${JSON.stringify(written.quality)}`,
    );

    const image = readFileSync(await textImage()).toString("base64");
    const response = await fetch(`${baseUrl}/v2/flows/${flowId}/process`, {
      method: "POST",
      headers,
      body: JSON.stringify({ records: [{ _id: "invoice", _base64: image }] }),
    });
    const body = (await response.json()) as {
      records: { text?: string; face_count?: number; colors?: { colors: { name: string }[] } }[];
      statistics: { credits: number };
    };
    assert(response.status === 200, `the deployed flow answered ${response.status}: ${JSON.stringify(body)}`);
    const [record] = body.records;
    assert(record?.text === TEXT, `the deployed flow read ${JSON.stringify(record?.text)}`);
    assert(record.face_count === 0, `faces in a text image: ${record.face_count}`);
    assert(record.colors?.colors.length === 3, `asked for 3 colours, got ${JSON.stringify(record.colors)}`);
    // OCR 2, quality 1, colours 1, face detection 1; no face, so no expression.
    assert(body.statistics.credits === 5, `the call cost ${body.statistics.credits} credits, expected 5`);
  },
);
