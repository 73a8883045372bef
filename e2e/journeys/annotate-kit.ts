/** What the annotate journey needs besides clicks: a seeded detection task, and reading boxes back. */
import { readFileSync } from "node:fs";
import { zipSync } from "fflate";
import type { APIRequestContext, Page } from "playwright-core";
import { paint, toPng } from "../../flow-engine/src/testing/images";
import { assert } from "../expect";
import { trpc } from "./editor-kit";

export interface SavedItem {
  imageId: string;
  fileName: string;
  annotation: { kind: string; boxes?: { label: string; box: number[] }[] } | null;
  proposed: boolean;
  status: string;
}

/** Three 640x480 gradients (different, so none is a duplicate), and the dog photo when `photo` is given. */
async function datasetZip(photo: string | undefined): Promise<Uint8Array> {
  const files: Record<string, Uint8Array> = {};
  const tints: [number, number, number][] = [
    [90, 140, 200],
    [200, 150, 90],
    [110, 180, 120],
  ];
  for (const [i, [r, g, b]] of tints.entries()) {
    files[`street/${i + 1}-scene.png`] = await toPng(
      paint(640, 480, (x, y) => [(r + x / 8) % 256, (g + y / 8) % 256, b]),
    );
  }
  if (photo !== undefined) files["street/4-dog.jpg"] = new Uint8Array(readFileSync(photo));
  return zipSync(files);
}

/** A detection task with COCO names as labels, and its images imported through the upload API (unlabelled). */
export async function seedDetectionTask(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  photo: string | undefined,
): Promise<{ taskId: string; items: SavedItem[] }> {
  const task = await trpc<{ id: string }>(request, baseUrl, "task.create", {
    workspaceId,
    name: "Street objects",
    type: "detection",
    labels: ["person", "dog", "car", "bicycle"],
  });
  const response = await request.post(`${baseUrl}/api/workspaces/${workspaceId}/tasks/${task.id}/training-images`, {
    multipart: {
      file: { name: "street.zip", mimeType: "application/zip", buffer: Buffer.from(await datasetZip(photo)) },
    },
    headers: { origin: baseUrl },
  });
  const text = await response.text();
  assert(response.status() === 201, `the import answered ${response.status()}: ${text}`);
  const imported = (JSON.parse(text) as { import: { added: number; unlabelled: number } }).import;
  const expected = photo === undefined ? 3 : 4;
  assert(imported.added === expected, `the import added ${imported.added} images, not ${expected}: ${text}`);
  return { taskId: task.id, items: await listItems(request, baseUrl, workspaceId, task.id) };
}

export async function listItems(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  taskId: string,
): Promise<SavedItem[]> {
  const page = await trpc<{ items: SavedItem[] }>(
    request,
    baseUrl,
    "trainingSet.list",
    { workspaceId, taskId, limit: 100 },
    "query",
  );
  return page.items;
}

/** The boxes the server holds for an image, as `label:x1,y1,x2,y2` strings. */
export async function savedBoxes(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  taskId: string,
  imageId: string,
): Promise<SavedItem> {
  const [item] = await trpc<SavedItem[]>(
    request,
    baseUrl,
    "trainingSet.get",
    { workspaceId, taskId, imageIds: [imageId] },
    "query",
  );
  assert(item !== undefined, `the server has no image ${imageId}`);
  return item;
}

/** Boxes equal to within `slack` pixels (a mouse lands on whole screen pixels of a scaled image). */
export function near(actual: readonly number[] | undefined, expected: readonly number[], what: string, slack = 2.5) {
  const off = actual === undefined || actual.some((v, i) => Math.abs(v - (expected[i] ?? NaN)) > slack);
  assert(!off, `${what}: expected about ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
}

/** Waits until the annotator shows a loaded image (the stage's <img> decoded). */
export async function imageShown(page: Page, fileName: string): Promise<void> {
  await page.waitForFunction(
    `(() => { const img = document.querySelector('[data-annotator-stage] img'); return img && img.complete && img.naturalWidth > 0 && document.querySelector('[data-annotator] [title="${fileName}"]'); })()`,
    undefined,
    { timeout: 15_000 },
  );
}

/** The screen point of an image pixel, from where the image is drawn now. */
async function screenPoint(page: Page, point: [number, number]): Promise<{ x: number; y: number }> {
  const image = page.locator("[data-annotator-stage] img");
  const rect = await image.boundingBox();
  const natural = await image.evaluate((img) => [
    (img as HTMLImageElement).naturalWidth,
    (img as HTMLImageElement).naturalHeight,
  ]);
  assert(rect !== null, "the image is not on screen");
  const [w = 1, h = 1] = natural;
  return { x: rect.x + (point[0] * rect.width) / w, y: rect.y + (point[1] * rect.height) / h };
}

/** A mouse drag from one image pixel to another. */
export async function dragImage(page: Page, from: [number, number], to: [number, number]): Promise<void> {
  const a = await screenPoint(page, from);
  const b = await screenPoint(page, to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move(b.x, b.y, { steps: 10 });
  await page.mouse.up();
}

/** A viewer of the workspace, signed up through an invitation link the owner made; their browser context's page. */
export async function viewerPage(
  ownerRequest: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  newPage: () => Promise<Page>,
): Promise<Page> {
  const { url } = await trpc<{ url: string }>(ownerRequest, baseUrl, "invitation.create", {
    workspaceId,
    role: "viewer",
  });
  const page = await newPage();
  await page.goto(new URL(url, baseUrl).toString());
  await page.getByRole("link", { name: "Create account" }).click();
  await page.fill("#name", "Vera Viewer");
  await page.fill("#email", "vera@example.com");
  await page.fill("#password", "viewer-password-1");
  await page.getByRole("button", { name: "Create account" }).click();
  await page.waitForURL(new RegExp(`/w/${workspaceId}/`));
  return page;
}
