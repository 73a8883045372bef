import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { unzipSync, zipSync } from "fflate";
import type { Page } from "playwright-core";
import { paint, toPng } from "../../flow-engine/src/testing/images";
import { expectCount, expectPath, expectText } from "../expect";
import { journey, required } from "../harness";

const DATASETS = path.resolve(import.meta.dirname, "..", "..", "..", "shared", "datasets");
const CLOTHING = path.join(DATASETS, "clothing", "validation");
const RACCOON = path.join(DATASETS, "raccoon");

/** Images per label of the labelled zip: "skirt" has too few to train (the minimum is 5). */
const PER_LABEL = { hat: 6, shoes: 6, skirt: 2 } as const;

/** A striped picture no other call makes (distinct bytes, so no image is a duplicate of another). */
async function picture(seed: number): Promise<Uint8Array> {
  return toPng(paint(64, 48, (x, y) => [(seed * 37 + x * 3) % 256, (seed * 91 + y * 5) % 256, (seed * 53) % 256]));
}

/** A folder-per-label zip: photos of ../shared's clothing set where it is there, drawn pictures where not. */
async function labelledZip(dir: string): Promise<{ zip: string; source: string }> {
  const entries: Record<string, Uint8Array> = {};
  const real = existsSync(CLOTHING);
  let seed = 0;
  for (const [label, count] of Object.entries(PER_LABEL)) {
    const files = real ? readdirSync(path.join(CLOTHING, label)).sort().slice(0, count) : [];
    for (let i = 0; i < count; i += 1) {
      const name = files[i];
      entries[`clothes/${label}/${name ?? `${label}-${i + 1}.png`}`] =
        name === undefined ? await picture((seed += 1)) : readFileSync(path.join(CLOTHING, label, name));
    }
  }
  const zip = path.join(dir, "clothes.zip");
  writeFileSync(zip, zipSync(entries));
  return { zip, source: real ? CLOTHING : "drawn pictures (../shared/datasets is absent)" };
}

/** A few images with their Pascal VOC files: ../shared's raccoons, or drawn ones with boxes written here. */
async function vocSet(dir: string): Promise<{ files: string[]; boxes: number }> {
  const names = ["raccoon-1", "raccoon-12", "raccoon-119"];
  const files: string[] = [];
  let boxes = 0;
  for (const [i, name] of names.entries()) {
    let xml: string;
    let image: Uint8Array;
    if (existsSync(RACCOON)) {
      xml = readFileSync(path.join(RACCOON, "annotations", `${name}.xml`), "utf8");
      image = readFileSync(path.join(RACCOON, "images", `${name}.jpg`));
    } else {
      image = await picture(100 + i);
      const objects = Array.from(
        { length: i + 1 },
        (_, j) =>
          `<object><name>raccoon</name><bndbox><xmin>${2 + j * 10}</xmin><ymin>4</ymin><xmax>${10 + j * 10}</xmax><ymax>20</ymax></bndbox></object>`,
      );
      xml = `<annotation><filename>${name}.jpg</filename><size><width>64</width><height>48</height><depth>3</depth></size>${objects.join("")}</annotation>`;
    }
    boxes += xml.match(/<object>/g)?.length ?? 0;
    const imagePath = path.join(dir, `${name}.jpg`);
    const xmlPath = path.join(dir, `${name}.xml`);
    writeFileSync(imagePath, image);
    writeFileSync(xmlPath, xml);
    files.push(imagePath, xmlPath);
  }
  return { files, boxes };
}

async function createTask(
  page: Page,
  baseUrl: string,
  workspaceId: string,
  name: string,
  type: string,
  labels: string,
) {
  await page.goto(`${baseUrl}/w/${workspaceId}/tasks`);
  await page.getByRole("button", { name: "New task" }).click();
  await page.fill("#task-name", name);
  await page.selectOption("#task-type", type);
  await page.fill("#task-labels", labels);
  await page.getByRole("button", { name: "Create task" }).click();
  await expectText(page.locator("main h1"), name);
  await page.locator("[data-tab='data']").click();
  await expectPath(page, /\?tab=data$/);
  await expectText(page.locator("[data-grid-empty]"), "No images yet");
}

async function countOf(page: Page, label: string): Promise<string> {
  return (await page.locator(`[data-label-count='${label}'] [data-count]`).getAttribute("data-count")) ?? "";
}

async function expectCountOf(page: Page, label: string, count: number) {
  await expectText(page.locator(`[data-label-count='${label}'] [data-count]`), new RegExp(`^${count}\\b`));
  const shown = await countOf(page, label);
  if (shown !== String(count)) throw new Error(`"${label}" counts ${shown}, expected ${count}`);
}

/** Waits until every tile's thumbnail has loaded (through its signed link), naming those that did not. */
async function expectThumbnails(page: Page) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const broken = await page.$$eval("[data-image-id] img", (images) =>
      images
        .filter((img) => !(img as HTMLImageElement).complete || (img as HTMLImageElement).naturalWidth === 0)
        .map((img) => (img as HTMLImageElement).src),
    );
    if (broken.length === 0) return;
    if (Date.now() > deadline) throw new Error(`${broken.length} thumbnails did not load, e.g. ${broken[0] ?? ""}`);
    await page.waitForTimeout(200);
  }
}

async function download(page: Page, format: string, dir: string): Promise<Record<string, Uint8Array>> {
  await page.getByRole("button", { name: "Export the training set" }).click();
  const [file] = await Promise.all([page.waitForEvent("download"), page.locator(`[data-export='${format}']`).click()]);
  const saved = path.join(dir, `${format}-${file.suggestedFilename()}`);
  await file.saveAs(saved);
  return unzipSync(readFileSync(saved));
}

export const trainingDataJourney = journey(
  "training data: import a labelled zip and a VOC set, counts and the too-few warning, filter, multi-select and bulk label, export",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const dir = mkdtempSync(path.join(tmpdir(), "vizflow-e2e-training-"));
    const { zip, source } = await labelledZip(dir);
    console.log(`    labelled zip from ${source}`);
    const page = await (await newContext(required(shared, "ownerState"))).newPage();

    await createTask(page, baseUrl, workspaceId, "Clothes", "categorization", "hat\nshoes\nskirt");
    await shot(page, "empty training data tab");
    await page.locator("#training-files").setInputFiles(zip);
    await expectText(page.locator("[data-import-added]"), "14 added", { timeoutMs: 60_000 });
    await expectCountOf(page, "hat", 6);
    await expectCountOf(page, "shoes", 6);
    await expectCountOf(page, "skirt", 2);
    await expectText(
      page.locator("[data-training-warnings]"),
      '"skirt" has 2 images; training needs at least 5 images per label (3 more).',
    );
    await expectCount(page.locator("[data-image-id]"), 14);
    await expectText(page.locator("[data-training-counts]"), "14 images · 0 unlabelled · 14 labelled · 0 verified");
    await expectThumbnails(page);
    await shot(page, "imported with counts and the too-few warning");

    // Filter by a label: kept in the URL, the grid shows only its images.
    await page.getByLabel("Filter by label").selectOption("hat");
    await expectPath(page, /[?&]label=hat(&|$)/);
    await expectCount(page.locator("[data-image-id]"), 6);
    const hats = await page.locator("[data-image-id]").allInnerTexts();
    if (!hats.every((t) => t.includes("hat"))) throw new Error(`the hat filter shows ${JSON.stringify(hats)}`);
    await page.reload();
    await expectCount(page.locator("[data-image-id]"), 6);

    // Click the first, shift-click the third: three chosen; label them "skirt" at once.
    const tiles = page.locator("[data-image-id]");
    await tiles.nth(0).click();
    await tiles.nth(2).click({ modifiers: ["Shift"] });
    await expectText(page.locator("[data-selected-count]"), "3 images chosen");
    const ids = await Promise.all([0, 1, 2].map((i) => tiles.nth(i).getAttribute("data-image-id")));
    const annotate = await page.getByRole("link", { name: "Annotate selected", exact: true }).getAttribute("href");
    if (annotate !== `/w/${workspaceId}/tasks/${taskIdOf(page)}/annotate?items=${ids.join(",")}`) {
      throw new Error(`"Annotate selected" links to ${annotate ?? "nothing"}`);
    }
    await expectText(page.getByRole("link", { name: "Pre-annotate selected" }), "Pre-annotate");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "three hats chosen");
    await page.getByLabel("Label for the chosen images").selectOption("skirt");
    await page.getByRole("button", { name: "Set label" }).click();
    await expectText(page.locator("[data-bulk-result]"), 'Labelled 3 images "skirt".');
    await expectCountOf(page, "skirt", 5);
    await expectCountOf(page, "hat", 3);
    await expectCount(page.locator("[data-image-id]"), 3);
    await expectText(page.locator("[data-training-warnings]"), '"hat" has 3 images');
    const warnings = await page.locator("[data-training-warnings]").innerText();
    if (warnings.includes('"skirt"')) throw new Error(`skirt has 5 images now, yet: ${warnings}`);
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "three hats labelled skirt");

    // Every image matching "skirt": the 2 imported and the 3 relabelled.
    await page.getByRole("button", { name: "Clear filters" }).click();
    await page.getByLabel("Filter by label").selectOption("skirt");
    await expectCount(page.locator("[data-image-id]"), 5);
    await page.getByRole("button", { name: "Choose all matching" }).click();
    await expectText(page.locator("[data-selected-count]"), "5 images chosen");

    const folders = await download(page, "folders", dir);
    const images = Object.keys(folders).filter((name) => /\.(jpe?g|png)$/i.test(name));
    const skirts = images.filter((name) => name.split("/").includes("skirt"));
    if (images.length !== 14 || skirts.length !== 5) {
      throw new Error(`the export holds ${images.length} images, ${skirts.length} under skirt/: ${images.join(", ")}`);
    }

    // Delete one skirt (after a confirmation), move two into a new test set: both leave the training set.
    await page.getByRole("button", { name: "Clear", exact: true }).click();
    await tiles.nth(0).click();
    await page.getByRole("button", { name: "Delete…" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Delete images" }).click();
    await expectText(page.locator("[data-bulk-result]"), "Deleted 1 image from the training set.");
    await expectCount(page.locator("[data-image-id]"), 4);
    await expectCountOf(page, "skirt", 4);
    await tiles.nth(0).click();
    await tiles.nth(1).click({ modifiers: ["Shift"] });
    await page.getByRole("button", { name: "Move to test set…" }).click();
    await page.getByLabel("Name of the new test set").fill("Skirts held out");
    await page.evaluate(() => window.scrollTo(0, 0));
    await shot(page, "moving two images to a new test set");
    await page.getByRole("dialog").getByRole("button", { name: "Move images" }).click();
    await expectText(page.locator("[data-bulk-result]"), "Moved 2 images into the test set.");
    await expectCount(page.locator("[data-image-id]"), 2);
    await expectCountOf(page, "skirt", 2);
    await expectText(page.locator("[data-training-counts]"), "11 images");
    await page.locator("[data-tab='models']").click();
    await expectText(page.locator("[data-test-set='Skirts held out']"), "2 images");

    // A detection task from a Pascal VOC set: boxes counted per label, drawn on the tiles.
    const voc = await vocSet(dir);
    await createTask(page, baseUrl, workspaceId, "Raccoons", "detection", "raccoon");
    await page.selectOption("#import-format", "voc");
    await page.locator("#training-files").setInputFiles(voc.files);
    await expectText(page.locator("[data-import-added]"), "3 added", { timeoutMs: 60_000 });
    await expectCountOf(page, "raccoon", voc.boxes);
    await expectCount(page.locator("[data-image-id]"), 3);
    await expectText(page.locator("[data-image='raccoon-119.jpg']"), /\d+ box/);
    await expectText(page.locator("[data-training-warnings]"), `"raccoon" has ${voc.boxes} boxes`);
    await expectThumbnails(page);
    await shot(page, "voc set imported with boxes");
    const exported = await download(page, "voc", dir);
    const xmls = Object.keys(exported).filter((name) => name.endsWith(".xml"));
    const exportedBoxes = xmls.reduce(
      (sum, name) => sum + (new TextDecoder().decode(exported[name]).match(/<object>/g)?.length ?? 0),
      0,
    );
    if (xmls.length !== 3 || exportedBoxes !== voc.boxes) {
      throw new Error(
        `the VOC export has ${xmls.length} xml files and ${exportedBoxes} boxes, expected 3 and ${voc.boxes}`,
      );
    }
  },
);

function taskIdOf(page: Page): string {
  return new URL(page.url()).pathname.split("/")[4] ?? "";
}
