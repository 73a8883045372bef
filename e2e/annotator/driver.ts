/** Driving the annotator harness in Chromium: launching, opening a fixture set, image-pixel mouse moves. */
import { chromium, type Browser, type Page } from "playwright-core";
import type { AnnotatorImage, TrainingAnnotation } from "../../app/_components/annotator/types";

// Debian's Chromium, never a downloaded browser (as e2e/run.ts).
export async function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: "/usr/bin/chromium",
    headless: true,
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-background-networking"],
  });
}

/** Opens a fixture set and waits until the first image is shown with its boxes. */
export async function openSet(page: Page, baseUrl: string, set: string): Promise<void> {
  const errors: string[] = [];
  page.on("pageerror", (error) => errors.push(error.message));
  await page.goto(`${baseUrl}/?set=${set}`);
  try {
    await page.locator("[data-annotator-stage] img").waitFor({ timeout: 15_000 });
    await page.waitForFunction(
      "(() => { const img = document.querySelector('[data-annotator-stage] img'); return img && img.complete && img.naturalWidth > 0; })()",
    );
  } catch (error) {
    throw new Error(
      `the harness did not show an image${errors.length ? `: ${errors.join("; ")}` : ""} (${String(error)})`,
    );
  }
}

/** The screen point of an image pixel, from where the image is drawn now. */
export async function screenPoint(page: Page, point: [number, number]): Promise<{ x: number; y: number }> {
  const image = page.locator("[data-annotator-stage] img");
  const rect = await image.boundingBox();
  const natural = await currentImage(page);
  if (rect === null) throw new Error("the image is not on screen");
  return { x: rect.x + (point[0] * rect.width) / natural.width, y: rect.y + (point[1] * rect.height) / natural.height };
}

/** A mouse drag from one image pixel to another in `steps` moves. */
export async function dragImage(page: Page, from: [number, number], to: [number, number], steps = 12): Promise<void> {
  const a = await screenPoint(page, from);
  const b = await screenPoint(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps });
  await page.mouse.up();
}

/** What the harness's parent holds now (the annotations as the annotator reported them). */
export async function currentImage(page: Page): Promise<AnnotatorImage> {
  return page.evaluate<AnnotatorImage>("window.__annotator.images()[window.__annotator.index()]");
}

export async function currentAnnotation(page: Page): Promise<TrainingAnnotation | null> {
  return (await currentImage(page)).annotation;
}

export async function harnessLog(page: Page): Promise<{ changes: unknown[]; confirms: string[]; accepted: string[] }> {
  return page.evaluate(
    "({ changes: window.__annotator.changes, confirms: window.__annotator.confirms, accepted: window.__annotator.accepted })",
  );
}
