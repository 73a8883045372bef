import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { zipSync } from "fflate";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import { colourClassifierModel, fixedSsdModel } from "../../flow-engine/src/testing/tiny-models";
import { expectPath, expectText } from "../expect";
import { journey, required } from "../harness";

/**
 * Fixtures made on the spot, so the journey needs no shared models: the engine's tiny colour classifier
 * (input "input" [1,3,8,8], 3 logits: red, green, blue) and solid-colour PNGs rendered with sharp.
 */
async function fixtures(): Promise<{ model: string; detector: string; red: string; zip: string }> {
  const dir = mkdtempSync(path.join(tmpdir(), "vizflow-e2e-tasks-"));
  const model = path.join(dir, "colours.onnx");
  writeFileSync(model, colourClassifierModel());
  // UltraFace's input and outputs ("input" [1,3,240,320], "scores", "boxes"), one face in the middle.
  const detector = path.join(dir, "faces.onnx");
  writeFileSync(detector, fixedSsdModel([[0.1, 0.9]], [[0.3, 0.2, 0.7, 0.8]], { width: 320, height: 240 }));
  const png = (rgb: [number, number, number]) => toPng(solid(32, 32, rgb));
  const red = path.join(dir, "red.png");
  writeFileSync(red, await png([230, 20, 20]));
  const zip = path.join(dir, "colours-holdout.zip");
  writeFileSync(
    zip,
    zipSync({
      "holdout/red/1.png": await png([240, 10, 10]),
      "holdout/red/2.png": await png([200, 40, 30]),
      // Labelled red but blue: the evaluation must list it as a failure.
      "holdout/red/3.png": await png([20, 20, 230]),
      "holdout/green/1.png": await png([10, 220, 10]),
      "holdout/blue/1.png": await png([10, 10, 250]),
    }),
  );
  return { model, detector, red, zip };
}

export const tasksJourney = journey(
  "the owner creates a task, uploads a model with a preset (a wrong size is refused first), tries it on an image and evaluates it on a test set",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const files = await fixtures();
    const page = await (await newContext(required(shared, "ownerState"))).newPage();

    await page.goto(`${baseUrl}/w/${workspaceId}/tasks`);
    await expectText(page.locator("main"), "No tasks yet");
    await page.getByRole("button", { name: "New task" }).click();
    await page.fill("#task-name", "Colours");
    await page.selectOption("#task-type", "categorization");
    await page.fill("#task-labels", "red\ngreen\nblue");
    await shot(page, "new task");
    await page.getByRole("button", { name: "Create task" }).click();
    await expectPath(page, new RegExp(`^/w/${workspaceId}/tasks/[^/]+$`));
    await expectText(page.locator("main h1"), "Colours");

    await page.getByRole("button", { name: "Upload a version" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("#model-file").setInputFiles(files.model);
    await page.selectOption("#adapter-preset", "imagenet");
    // The ImageNet preset says 224x224; the model takes 8x8: refused before anything is saved.
    await dialog.getByRole("button", { name: "Upload and check" }).click();
    await expectText(
      dialog.getByRole("alert"),
      'input "input" is [1,3,8,8], the adapter says 224x224 with 3 channels (NCHW)',
    );
    await shot(page, "wrong input size refused");
    // The decoder's params as a form built from its params schema, beside the JSON it edits.
    const paramsForm = dialog.getByTestId("decoder-params-form");
    await paramsForm.scrollIntoViewIfNeeded();
    await expectText(paramsForm, "topK");
    await shot(page, "decoder params form");
    await page.fill("#adapter-width", "8");
    await page.fill("#adapter-height", "8");
    await dialog.getByRole("button", { name: "Upload and check" }).click();
    await expectText(page.locator("[data-version='1']"), "active");
    await shot(page, "version 1 active");

    await page.getByLabel("Image to try").setInputFiles(files.red);
    const result = page.getByTestId("try-result");
    await expectText(result.locator("[data-label]").first(), /^red\s/);
    await expectText(result, /model \d+ ms/);
    await expectText(result.locator("[data-try-cost]"), /^Cost 1 credit · [\d,]+ left this period$/);
    await result.scrollIntoViewIfNeeded();
    await shot(page, "tried on a red image");

    await page.getByLabel("Test set zip").setInputFiles(files.zip);
    await page.fill("#test-set-name", "Holdout");
    await page.getByRole("button", { name: "Upload test set" }).click();
    await expectText(page.locator("[data-test-set='Holdout']"), "5 images");
    await page.getByRole("button", { name: "Evaluate" }).click();
    const detail = page.getByTestId("evaluation-detail");
    await expectText(detail.getByTestId("headline-metrics"), "80.0%");
    const matrix = detail.getByTestId("confusion-matrix");
    await expectText(matrix, "true ↓ / predicted →");
    const redRow = await matrix.locator("tbody tr").first().innerText();
    if (redRow.replace(/\s+/g, " ").trim() !== "red 2 0 1 0") {
      throw new Error(`the red row of the confusion matrix reads "${redRow}", expected red 2 0 1 0`);
    }
    await expectText(detail.locator("[data-failed='holdout/red/3.png']"), "predicted: blue");
    await detail.scrollIntoViewIfNeeded();
    await shot(page, "evaluation with confusion matrix");

    // A detection task with the UltraFace preset as it is: boxes drawn on the tried image.
    await page.goto(`${baseUrl}/w/${workspaceId}/tasks`);
    await page.getByRole("button", { name: "New task" }).click();
    await page.fill("#task-name", "Faces");
    await page.selectOption("#task-type", "detection");
    await page.fill("#task-labels", "face");
    await page.getByRole("button", { name: "Create task" }).click();
    await expectText(page.locator("main h1"), "Faces");
    await page.getByRole("button", { name: "Upload a version" }).click();
    await page.getByRole("dialog").locator("#model-file").setInputFiles(files.detector);
    await page.selectOption("#adapter-preset", "ultraface");
    await page.getByRole("dialog").getByRole("button", { name: "Upload and check" }).click();
    await expectText(page.locator("[data-version='1']"), "active");
    await page.getByLabel("Image to try").setInputFiles(files.red);
    const boxes = page.getByTestId("try-result").locator("svg [data-object='face']");
    await boxes.first().waitFor();
    const boxLabel = await boxes.first().textContent();
    if (boxLabel?.replace(/\s+/g, " ").trim() !== "face 90%") {
      throw new Error(`the drawn box is labelled "${boxLabel ?? ""}", expected "face 90%"`);
    }
    await page.getByTestId("try-result").scrollIntoViewIfNeeded();
    await shot(page, "face box drawn on the tried image");
  },
);
