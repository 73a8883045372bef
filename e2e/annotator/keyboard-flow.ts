/**
 * `pnpm test:annotator`: the annotator component alone in Chromium (no product server, no build), driven
 * with the keyboard and the mouse: draw two boxes with the keys, confirm, repeat them on the next image,
 * move one with the mouse, resize it, undo and redo, zoom, accept a proposal. Screenshots go to
 * `.artifacts/annotator/`.
 */
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import type { Page } from "playwright-core";
import type { LabelledBox } from "../../app/_components/annotator/types";
import { assert, expectCount, expectText } from "../expect";
import { ARTIFACTS } from "../harness";
import { currentAnnotation, currentImage, dragImage, harnessLog, launchChromium, openSet, screenPoint } from "./driver";
import { startAnnotatorHarness } from "./harness-server";

const SHOTS = path.join(path.dirname(ARTIFACTS), "annotator");

async function boxesNow(page: Page): Promise<LabelledBox[]> {
  const annotation = await currentAnnotation(page);
  assert(annotation?.kind === "boxes", `expected boxes, the image has ${JSON.stringify(annotation)}`);
  return annotation.boxes;
}

/** Boxes equal to within half a pixel (a mouse lands on whole screen pixels, the image is scaled). */
function near(actual: readonly number[], expected: readonly number[], what: string, slack = 1.5): void {
  const off = actual.some((v, i) => Math.abs(v - (expected[i] ?? NaN)) > slack);
  assert(!off, `${what}: expected about ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

async function run(page: Page, baseUrl: string): Promise<void> {
  let step = 0;
  const shot = async (name: string) => {
    step += 1;
    await page.screenshot({ path: path.join(SHOTS, `${String(step).padStart(2, "0")}-${name}.png`) });
  };
  await openSet(page, baseUrl, "flow");
  await shot("empty");

  // Two boxes with the keys: B arms drawing, a number picks the next box's label, a drag draws it.
  await page.keyboard.press("b");
  await page.keyboard.press("1");
  await dragImage(page, [60, 50], [300, 380]);
  await page.keyboard.press("b");
  await page.keyboard.press("2");
  await dragImage(page, [360, 40], [600, 300]);
  await expectCount(page.locator("[data-box-index]"), 2);
  const drawn = await boxesNow(page);
  assert(drawn.map((b) => b.label).join() === "raccoon,person", `labels: ${drawn.map((b) => b.label).join()}`);
  near(drawn[0]!.box, [60, 50, 300, 380], "first box");
  near(drawn[1]!.box, [360, 40, 600, 300], "second box");
  await expectText(page.locator("[data-annotation-summary]"), "2 boxes · selected: person");
  await shot("two-boxes-drawn");

  // A number key with a box selected relabels it; Tab moves the selection.
  await page.keyboard.press("Tab");
  await page.keyboard.press("3");
  assert((await boxesNow(page))[0]!.label === "dog", "Tab then 3 relabels the first box");
  await page.keyboard.press("Control+z");
  assert((await boxesNow(page))[0]!.label === "raccoon", "undo puts the label back");

  // Enter confirms and goes to the next image; R repeats the previous image's boxes there.
  await page.keyboard.press("Enter");
  await expectText(page.locator("[data-image-position]"), "2 / 3");
  assert((await harnessLog(page)).confirms.join() === "raccoon-1", "Enter confirmed the first image");
  await page.keyboard.press("r");
  await expectCount(page.locator("[data-box-index]"), 2);
  near((await boxesNow(page))[1]!.box, [360, 40, 600, 300], "repeated box");
  await shot("repeated-on-next-image");

  // Move the second box with the mouse, then resize it from its bottom-right grip.
  await dragImage(page, [480, 170], [530, 230]);
  near((await boxesNow(page))[1]!.box, [410, 100, 650, 360], "moved box");
  const grip = page.locator('[data-handle="se"]');
  await expectCount(grip, 1);
  await dragImage(page, [650, 360], [700, 420]);
  near((await boxesNow(page))[1]!.box, [410, 100, 700, 420], "resized box");
  await shot("moved-and-resized");

  // A drag past the image's edge stops at it.
  await dragImage(page, [550, 260], [950, 900]);
  const image = await currentImage(page);
  near(
    (await boxesNow(page))[1]!.box,
    [image.width - 290, image.height - 320, image.width, image.height],
    "box at the corner",
  );

  // Undo three times: back to the repeated place; redo once: resized again.
  await page.keyboard.press("Control+z");
  await page.keyboard.press("Control+z");
  near((await boxesNow(page))[1]!.box, [410, 100, 650, 360], "undo the resize");
  await page.keyboard.press("Control+z");
  near((await boxesNow(page))[1]!.box, [360, 40, 600, 300], "undo the move");
  await page.keyboard.press("Control+Shift+z");
  near((await boxesNow(page))[1]!.box, [410, 100, 650, 360], "redo the move");

  // Delete removes the selected box.
  await page.keyboard.press("Delete");
  await expectCount(page.locator("[data-box-index]"), 1);

  // Zoom in around the centre and fit again.
  const before = await page.locator("[data-annotator-stage] img").boundingBox();
  await page.keyboard.press("+");
  await page.keyboard.press("+");
  const zoomed = await page.locator("[data-annotator-stage] img").boundingBox();
  assert(zoomed !== null && before !== null && zoomed.width > before.width * 1.5, "+ zooms in");
  await shot("zoomed-in");
  // Space + drag pans: the image moves with the mouse and no box changes.
  const changesBefore = (await harnessLog(page)).changes.length;
  const start = await screenPoint(page, [300, 200]);
  await page.keyboard.down(" ");
  await page.mouse.move(start.x, start.y);
  await page.mouse.down();
  await page.mouse.move(start.x - 100, start.y - 50, { steps: 5 });
  await page.mouse.up();
  await page.keyboard.up(" ");
  const panned = await page.locator("[data-annotator-stage] img").boundingBox();
  assert(panned !== null && zoomed !== null && Math.abs(panned.x - (zoomed.x - 100)) < 2, "Space + drag pans");
  assert((await harnessLog(page)).changes.length === changesBefore, "panning changed no box");
  // The wheel zooms around the pointer.
  const centre = await screenPoint(page, [400, 280]);
  await page.mouse.move(centre.x, centre.y);
  await page.mouse.wheel(0, 400);
  const wheeled = await page.locator("[data-annotator-stage] img").boundingBox();
  assert(wheeled !== null && panned !== null && wheeled.width < panned.width * 0.9, "the wheel zooms out");
  const still = await screenPoint(page, [400, 280]);
  assert(Math.abs(still.x - centre.x) < 2 && Math.abs(still.y - centre.y) < 2, "the point under the wheel stays put");
  await page.keyboard.press("f");
  const fitted = await page.locator("[data-annotator-stage] img").boundingBox();
  assert(fitted !== null && before !== null && Math.abs(fitted.width - before.width) < 1, "F fits again");

  // The next image holds a model's proposal: dashed and badged until accepted with A.
  await page.keyboard.press("ArrowRight");
  await expectText(page.locator("[data-image-position]"), "3 / 3");
  await expectText(page.locator("[data-proposal]"), "Proposed by a model");
  const dash = await page.locator("[data-box-index] rect").first().getAttribute("stroke-dasharray");
  assert(dash !== null, "a proposed box is dashed");
  await shot("proposal");
  await page.keyboard.press("a");
  await expectCount(page.locator("[data-proposal]"), 0);
  assert((await harnessLog(page)).accepted.join() === "raccoon-3", "A accepted the proposal");
  assert(
    (await page.locator("[data-box-index] rect").first().getAttribute("stroke-dasharray")) === null,
    "accepted: solid",
  );
  await page.keyboard.press("ArrowLeft");
  await expectText(page.locator("[data-image-position]"), "2 / 3");
  await shot("accepted-and-back");
}

/** The other task types: a number key sets a category; a digit starts a value, typed keys stay in the field. */
async function otherTaskTypes(page: Page, baseUrl: string): Promise<void> {
  await openSet(page, baseUrl, "categories");
  await page.keyboard.press("2");
  await expectText(page.locator("[data-annotation-summary]"), "Label: no raccoon");
  await page.keyboard.press("Enter");
  await expectText(page.locator("[data-image-position]"), "2 / 2");
  await page.keyboard.press("r");
  await expectText(page.locator("[data-annotation-summary]"), "Label: no raccoon");
  await page.screenshot({ path: path.join(SHOTS, "categories.png") });

  await openSet(page, baseUrl, "values");
  await page.keyboard.press("4");
  const input = page.locator("[data-value-input]");
  assert(await input.evaluate((el) => el === document.activeElement), "a digit focuses the value field");
  // Inside the field, R, arrows and digits are typing, not shortcuts.
  await page.keyboard.type("2.5");
  await page.keyboard.press("ArrowLeft");
  await page.keyboard.press("r");
  await expectText(page.locator("[data-image-position]"), "1 / 2");
  await page.keyboard.press("Backspace");
  assert((await input.inputValue()) === "42.5", `the field holds ${await input.inputValue()}`);
  await page.keyboard.press("Enter");
  await expectText(page.locator("[data-image-position]"), "2 / 2");
  assert(await input.evaluate((el) => el === document.activeElement), "the field keeps the focus on the next image");
  assert((await input.inputValue()) === "", "the next image's value starts empty");
  await page.keyboard.press("Escape");
  await page.keyboard.press("ArrowLeft");
  await expectText(page.locator("[data-annotation-summary]"), "Value: 42.5");
  await page.screenshot({ path: path.join(SHOTS, "values.png") });
}

async function main(): Promise<number> {
  rmSync(SHOTS, { recursive: true, force: true });
  mkdirSync(SHOTS, { recursive: true });
  const port = Number(process.env.ANNOTATOR_PORT ?? 0);
  const harness = await startAnnotatorHarness({ port });
  const browser = await launchChromium();
  try {
    const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    context.setDefaultTimeout(15_000);
    const page = await context.newPage();
    try {
      await run(page, harness.baseUrl);
      await otherTaskTypes(page, harness.baseUrl);
    } catch (error) {
      await page.screenshot({ path: path.join(SHOTS, "failure.png") }).catch(() => undefined);
      throw error;
    }
    console.log(`annotator keyboard flow: passed (screenshots in ${path.relative(process.cwd(), SHOTS)})`);
    return 0;
  } catch (error) {
    console.log(
      `annotator keyboard flow: FAILED\n  ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`,
    );
    return 1;
  } finally {
    await browser.close();
    await harness.stop();
  }
}

process.exitCode = await main();
