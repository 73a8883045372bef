/**
 * What the real-models journey needs besides the editor: the ImageNet and COCO tasks with MobileNetV2 and
 * YOLOX nano made through the product's own API, and measurements of what a user sees in the test run
 * (the right-hand panel's width, the captions on the test image).
 */
import { readFileSync } from "node:fs";
import { applyLabelRenames, parseLabelList, proposeLabelRenames } from "@vizflow/sdk";
import type { APIRequestContext, Page } from "playwright-core";
import { presetById } from "../../app/_components/tasks/adapter-presets";
import { assert } from "../expect";
import { trpc } from "./editor-kit";

/**
 * The labels of a label file as the task's label box reads them (first name of a synset line), with the
 * renames the product proposes for repeated names (`crane (2)`, `tank suit`): a task refuses repeats,
 * and the model's 1,000 outputs need 1,000 labels in output order.
 */
function labelsOf(file: string): string[] {
  const { labels } = parseLabelList(readFileSync(file, "utf8"));
  return applyLabelRenames(
    labels.map((l) => l.name),
    proposeLabelRenames(labels),
  );
}

/** A model version through the upload API, with an adapter preset, activated. */
export async function uploadModel(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  taskId: string,
  file: string,
  presetId: string,
): Promise<void> {
  const preset = presetById(presetId);
  assert(preset !== undefined, `no adapter preset "${presetId}"`);
  const response = await request.post(`${baseUrl}/api/workspaces/${workspaceId}/tasks/${taskId}/model-versions`, {
    multipart: {
      adapter: JSON.stringify(preset.adapter),
      notes: `${preset.title} preset`,
      activate: "true",
      file: {
        name: file.split("/").pop() ?? "model.onnx",
        mimeType: "application/octet-stream",
        buffer: readFileSync(file),
      },
    },
    timeout: 120_000,
  });
  assert(response.status() === 201, `uploading ${file}: ${response.status()} ${await response.text()}`);
}

export interface RealTasks {
  imagenet: { id: string; labels: string[] };
  coco: { id: string; labels: string[] };
}

/** "ImageNet" (categorization, MobileNetV2 int8) and "COCO" (detection, YOLOX nano), both active. */
export async function createRealTasks(
  request: APIRequestContext,
  baseUrl: string,
  workspaceId: string,
  models: string,
): Promise<RealTasks> {
  const create = async (name: string, type: string, labels: string[]) => {
    const task = await trpc<{ id: string; labels: string[] }>(request, baseUrl, "task.create", {
      workspaceId,
      name,
      type,
      labels,
    });
    return { id: task.id, labels: task.labels };
  };
  const synset = labelsOf(`${models}labels/onnx_models_synset.txt`);
  assert(synset.length === 1000, `the synset has ${synset.length} lines, not 1000`);
  const imagenet = await create("ImageNet", "categorization", synset);
  assert(imagenet.labels.length === 1000, `the ImageNet task kept ${imagenet.labels.length} of 1000 labels`);
  assert(imagenet.labels.includes("crane (2)"), "the second crane is not in the ImageNet task");
  const coco = await create("COCO", "detection", labelsOf(`${models}fastestdet/coco.names`));
  assert(coco.labels.length === 80, `the COCO task has ${coco.labels.length} labels, not 80`);
  await uploadModel(
    request,
    baseUrl,
    workspaceId,
    imagenet.id,
    `${models}mobilenetv2/mobilenetv2-12-int8.onnx`,
    "imagenet",
  );
  await uploadModel(request, baseUrl, workspaceId, coco.id, `${models}yolox/yolox_nano.onnx`, "yolox");
  return { imagenet, coco };
}

/** The editor's right-hand panel (tabs: settings, problems, test run, versions). */
export function rightPanel(page: Page) {
  return page.locator("[data-flow-editor] aside:has([role=tablist])");
}

/**
 * What in the right-hand panel reaches past its edges or scrolls sideways, one line each; empty when
 * everything fits. A code block (`<pre>`, the JSON response) may scroll inside itself: the block is
 * measured, not its content. (No named inner functions: the page gets this code as it is compiled.)
 */
export async function overflowingInPanel(page: Page): Promise<string[]> {
  return rightPanel(page).evaluate((panel) => {
    const edge = panel.getBoundingClientRect();
    const found: string[] = [];
    const stack: Element[] = [panel];
    while (stack.length > 0) {
      const el = stack.pop() as Element;
      const box = el.getBoundingClientRect();
      const name = `${el.tagName.toLowerCase()}.${String(el.getAttribute("class") ?? "")
        .split(" ")
        .slice(0, 3)
        .join(".")}`;
      if (box.width > 0 && (box.left < edge.left - 1 || box.right > edge.right + 1))
        found.push(
          `${name} spans ${Math.round(box.left)}..${Math.round(box.right)}, the panel ${Math.round(edge.left)}..${Math.round(edge.right)}`,
        );
      if (el.tagName === "PRE") continue;
      const overflowX = getComputedStyle(el).overflowX;
      if ((overflowX === "auto" || overflowX === "scroll") && el.scrollWidth > el.clientWidth + 1)
        found.push(`${name} scrolls sideways (${el.scrollWidth} px of content in ${el.clientWidth})`);
      stack.push(...Array.from(el.children));
    }
    return found;
  });
}

/** How many box captions the test image shows, and the pairs of them that intersect (more than a pixel). */
export async function overlappingCaptions(page: Page): Promise<{ shown: number; overlaps: string[] }> {
  const captions = page.locator("[data-caption]");
  const boxes: { text: string; x: number; y: number; width: number; height: number }[] = [];
  for (const caption of await captions.all()) {
    const box = await caption.boundingBox();
    if (box && box.width > 0) boxes.push({ text: await caption.innerText().catch(() => "?"), ...box });
  }
  const found: string[] = [];
  for (const [i, a] of boxes.entries())
    for (const b of boxes.slice(i + 1)) {
      const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x);
      const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y);
      if (w > 1 && h > 1) found.push(`“${a.text}” and “${b.text}”`);
    }
  return { shown: boxes.length, overlaps: found };
}

/** What a user reads in the test-run view at any screen size: nothing cut off, no caption over another. */
export async function checkTestRunView(page: Page, size: string): Promise<void> {
  const wide = await overflowingInPanel(page);
  assert(wide.length === 0, `at ${size}, parts of the right-hand panel reach past it: ${wide.join("; ")}`);
  const image = await page.getByRole("img", { name: "Detected objects" }).boundingBox();
  const panel = await rightPanel(page).boundingBox();
  assert(image !== null && panel !== null, `at ${size}, the test image or the panel is not on screen`);
  assert(
    image.width <= panel.width,
    `at ${size}, the test image is ${image.width} px wide in a ${panel.width} px panel`,
  );
  const { shown, overlaps } = await overlappingCaptions(page);
  assert(shown >= 8, `at ${size}, only ${shown} of the ten objects have a caption`);
  assert(overlaps.length === 0, `at ${size}, box captions overlap: ${overlaps.join(", ")}`);
}

/**
 * Calls the deployed street-scene flow over HTTP with `key` as an application would and checks what it
 * wrote: the scene's label, the wolfhound branch's colours (and not the deerhound branch's quality), the
 * nested flow's quality under its own name, the kind of each selected object, and the credits of each step.
 */
export async function checkDeployedCall(baseUrl: string, flowId: string, key: string, photo: string): Promise<void> {
  const response = await fetch(`${baseUrl}/v2/flows/${flowId}/process`, {
    method: "POST",
    headers: { authorization: `Token ${key}`, "content-type": "application/json" },
    body: JSON.stringify({ records: [{ _id: "street", _base64: readFileSync(photo).toString("base64") }] }),
  });
  const body = (await response.json()) as {
    records: {
      _status?: { code: number };
      scene?: { best_label: { name: string } };
      colors?: { colors: unknown[] };
      quality?: unknown;
      inner?: { quality?: { sharpness?: number } };
      _objects?: { name: string; kind?: { best_label: { name: string } } }[];
      _objects_dropped?: number;
    }[];
    statistics: { credits: number };
  };
  assert(response.status === 200, `the deployed flow answered ${response.status}: ${JSON.stringify(body)}`);
  const [record] = body.records;
  assert(record?._status?.code === 200, `the record failed: ${JSON.stringify(record?._status)}`);
  assert(record.scene?.best_label.name === "Irish wolfhound", `scene: ${JSON.stringify(record.scene)}`);
  assert((record.colors?.colors.length ?? 0) > 0, `the wolfhound branch wrote no colours: ${JSON.stringify(record)}`);
  assert(record.quality === undefined, "the deerhound branch ran although the scene is a wolfhound");
  assert(typeof record.inner?.quality?.sharpness === "number", `nested flow: ${JSON.stringify(record.inner)}`);
  const objects = record._objects ?? [];
  assert(objects.length === 10, `${objects.length} objects, not the Object Selector's default of ten`);
  // 14 people, dogs and cars passed its filters: the answer says the cap left 4 out.
  assert(record._objects_dropped === 4, `_objects_dropped: ${JSON.stringify(record._objects_dropped)}, not 4`);
  for (const object of objects) {
    assert(
      ["person", "dog", "car"].includes(object.name),
      `an object that is not a person, dog or car: ${object.name}`,
    );
    assert(typeof object.kind?.best_label.name === "string", `an object without its kind: ${JSON.stringify(object)}`);
  }
  // Detection, Object Selector, Branch Selector, Dominant colours, the nested Image quality: 1 each; 10 Recognitions.
  assert(body.statistics.credits === 15, `the call cost ${body.statistics.credits} credits, not 15`);
}
