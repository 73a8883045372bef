import { existsSync } from "node:fs";
import path from "node:path";
import { expectPath, expectText } from "../expect";
import { journey, required } from "../harness";

const MODELS = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "models");

/**
 * The ImageNet synset file as a user loads it: two names repeat (crane, maillot) and are renamed with one
 * click, the upload dialog reads MobileNetV2's 1000 outputs before upload and compares them with the labels,
 * and a tried photo of a cat is named with a task label ("tabby", not "n02123045 tabby, tabby cat").
 */
export const imagenetLabelsJourney = journey(
  "imagenet labels: the owner makes a task from the synset file, fixes its repeated names and uploads MobileNetV2 with the ImageNet preset",
  async ({ baseUrl, newContext, shot, shared }) => {
    if (!existsSync(path.join(MODELS, "mobilenetv2", "mobilenetv2-12-int8.onnx"))) {
      console.log(`  skipped: ${MODELS} (real ONNX models and photos) is absent`);
      return;
    }
    const workspaceId = required(shared, "firstWorkspaceId");
    const page = await (await newContext(required(shared, "ownerState"))).newPage();
    await page.goto(`${baseUrl}/w/${workspaceId}/tasks`);
    await page.getByRole("button", { name: "New task" }).click();
    const create = page.getByRole("dialog");
    await page.fill("#task-name", "ImageNet");
    await create
      .getByLabel("Load labels from a file")
      .setInputFiles(path.join(MODELS, "labels", "onnx_models_synset.txt"));
    await expectText(create.getByTestId("labels-read"), "Read 1000 labels; 1000 id prefixes dropped");
    const repeats = create.getByTestId("label-repeats");
    await expectText(repeats, "line 518: crane → crane (2)");
    await expectText(repeats, "line 640: maillot → tank suit");
    await shot(page, "synset loaded, repeats shown with the proposed fix");
    await repeats.getByRole("button", { name: "Rename the repeats" }).click();
    await repeats.waitFor({ state: "detached" });
    await create.getByRole("button", { name: "Create task" }).click();
    await expectPath(page, new RegExp(`^/w/${workspaceId}/tasks/[^/]+$`));
    await expectText(page.locator("main"), "Labels (1000)");
    await expectText(page.locator("[data-label='crane (2)']"), "518");

    await page.getByRole("button", { name: "Upload a version" }).click();
    const dialog = page.getByRole("dialog");
    await dialog.locator("#model-file").setInputFiles(path.join(MODELS, "mobilenetv2", "mobilenetv2-12-int8.onnx"));
    await page.selectOption("#adapter-preset", "imagenet");
    const check = dialog.getByTestId("class-count");
    await expectText(check, "✓ The model outputs 1000 classes (output “output”) and the task has 1000 labels.");
    // The old workaround, the raw synset in Output classes, now reads as the task's box reads it.
    await dialog
      .getByLabel("Load output classes from a file")
      .setInputFiles(path.join(MODELS, "labels", "onnx_models_synset.txt"));
    // Read as names, no ids; the repeats are shown, so are the task labels no output class gives.
    await expectText(dialog.getByTestId("missing-classes"), "crane (2)");
    await expectText(dialog.getByTestId("label-repeats"), "line 518: crane → crane (2)");
    await dialog.getByTestId("missing-classes").scrollIntoViewIfNeeded();
    await shot(page, "upload dialog with the synset as output classes");
    await dialog.getByTestId("label-repeats").getByRole("button", { name: "Rename the repeats" }).click();
    await expectText(
      dialog.getByTestId("output-classes-check"),
      "Output classes are the task's labels in the same order",
    );
    await dialog.getByRole("button", { name: "Empty it" }).click();
    // Two classes for a 1000-output model: said before upload, with the labels no output gives.
    await page.fill("#adapter-labels", "tench\ngoldfish");
    await expectText(check, "The model outputs 1000 classes (output “output”) but Output classes list 2 labels.");
    await expectText(dialog.getByTestId("missing-classes"), "998 labels of the task are in no output class");
    await check.scrollIntoViewIfNeeded();
    await shot(page, "upload dialog says the class count differs before upload");
    await page.fill("#adapter-labels", "");
    await expectText(check, "the task has 1000 labels");
    await dialog.locator("#adapter-labels").scrollIntoViewIfNeeded();
    await shot(page, "upload dialog checks the class count before upload");
    await dialog.getByRole("button", { name: "Upload and check" }).click();
    await expectText(page.locator("[data-version='1']"), "active");

    await page.getByLabel("Image to try").setInputFiles(path.join(MODELS, "imgs", "ortex_cat.jpg"));
    const best = page.getByTestId("try-result").locator("[data-label]").first();
    const name = await best.getAttribute("data-label", { timeout: 30_000 });
    if (!["tabby", "tiger cat", "Persian cat", "Siamese cat", "Egyptian cat"].includes(name ?? "")) {
      throw new Error(`the cat photo is named "${name ?? ""}", expected one of the task's cat labels`);
    }
    await page.getByTestId("try-result").scrollIntoViewIfNeeded();
    await shot(page, "a cat named with a task label");
  },
);
