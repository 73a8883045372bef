import { existsSync, readdirSync, readFileSync } from "node:fs";
import { rm } from "node:fs/promises";
import path from "node:path";
import { createApiToken, listTestSetImages } from "@vizflow/db";
import { TRPCError } from "@trpc/server";
import { zipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { checkImageHeader } from "@vizflow/flow-engine";
import { solid, toPng } from "../../flow-engine/src/testing/images";
import type { ModelServices } from "./model-services";
import { importTrainingFiles, TrainingImportError, type ImportFile } from "./training-import";
import { signTrainingImageLink, trainingLinkSecret, TRAINING_LINK_TTL_MS } from "./training-links";
import { handleTrainingExport, handleTrainingImage, handleTrainingImport } from "./training-routes";
import { createTestServices, signUp, useTestModelServices, type TestServices, type TestUser } from "./testing";

// The training set's server side, through the services and route handlers the browser and the token API use.

const DATASETS = path.resolve(__dirname, "../../../shared/datasets");
const CLOTHING = path.join(DATASETS, "clothing/validation");
const RACCOON = path.join(DATASETS, "raccoon");
const HAVE_CLOTHING = existsSync(CLOTHING);
const HAVE_RACCOON = existsSync(RACCOON);
if (!HAVE_CLOTHING || !HAVE_RACCOON) {
  console.warn(`skipping the real-dataset imports: ${DATASETS} (clothing/validation, raccoon) is absent`);
}

let services: TestServices;
let models: ModelServices;
let dir: string;
let alice: TestUser; // owner
let bob: TestUser; // editor
let viewer: TestUser;
let carol: TestUser; // another workspace's owner
let workspaceId: string;
let otherWorkspaceId: string;
let tokenKey: string;

async function join(user: TestUser, role: "editor" | "viewer") {
  const { url } = await alice.caller.invitation.create({ workspaceId, role });
  await user.caller.invitation.accept({ token: url.slice("/invite/".length) });
}

beforeAll(async () => {
  services = await createTestServices();
  ({ models, dir } = await useTestModelServices(services.database, "training"));
  alice = await signUp(services, "Alice");
  bob = await signUp(services, "Bob");
  viewer = await signUp(services, "Viewer");
  carol = await signUp(services, "Carol");
  workspaceId = (await alice.caller.workspace.create({ name: "Training" })).id;
  otherWorkspaceId = (await carol.caller.workspace.create({ name: "Elsewhere" })).id;
  await join(bob, "editor");
  await join(viewer, "viewer");
  tokenKey = (await createApiToken(services.database.db, workspaceId, { name: "importer", createdBy: alice.id })).key;
});
afterAll(async () => {
  await models.runtime.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

/** Every file of a folder, relative paths, sorted. */
function filesUnder(root: string): string[] {
  return readdirSync(root, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile())
    .map((e) => path.relative(root, path.join(e.parentPath, e.name)).split(path.sep).join("/"))
    .sort();
}

/** Files in the training blob stores (temp files included), to see that a refusal left nothing. */
function storedBlobs(): string[] {
  const out: string[] = [];
  for (const store of ["training-images", "training-thumbnails"]) {
    const root = path.join(dir, store);
    if (existsSync(root)) out.push(...filesUnder(root).map((f) => `${store}/${f}`));
  }
  return out.sort();
}

function zipOf(root: string, prefix = ""): Uint8Array {
  const files: Record<string, Uint8Array> = {};
  for (const file of filesUnder(root)) files[`${prefix}${file}`] = readFileSync(path.join(root, file));
  return zipSync(files, { level: 0 });
}

/** Bytes as an upload arrives: in 64 KB chunks. */
async function* chunked(bytes: Uint8Array): AsyncIterable<Uint8Array> {
  for (let start = 0; start < bytes.length; start += 65_536) {
    await Promise.resolve();
    yield bytes.subarray(start, start + 65_536);
  }
}

function asFiles(files: Record<string, Uint8Array>): ImportFile[] {
  return Object.entries(files).map(([name, bytes]) => ({ name, data: chunked(bytes) }));
}

async function importZip(taskId: string, zip: Uint8Array, format?: "folders" | "coco" | "voc" | "yolo") {
  return importTrainingFiles(services.database, models, {
    workspaceId,
    taskId,
    createdBy: alice.id,
    source: "import",
    files: asFiles({ "upload.zip": zip }),
    ...(format ? { format } : {}),
  });
}

/** Every item's annotation by image content. */
async function annotationsBySha(taskId: string): Promise<Map<string, unknown>> {
  const out = new Map<string, unknown>();
  let cursor: number | null = null;
  do {
    const page: Awaited<ReturnType<typeof alice.caller.trainingSet.list>> = await alice.caller.trainingSet.list({
      workspaceId,
      taskId,
      limit: 500,
      cursor,
    });
    for (const item of page.items) out.set(item.sha256, item.annotation);
    cursor = page.nextCursor;
  } while (cursor !== null);
  return out;
}

async function exportZip(taskId: string, format: string): Promise<Uint8Array> {
  const response = await handleTrainingExport(
    new Request(
      `http://localhost/api/workspaces/${workspaceId}/tasks/${taskId}/training-images/export?format=${format}`,
      {
        headers: { authorization: `Token ${tokenKey}` },
      },
    ),
    services,
    { workspaceId, taskId },
  );
  expect(response.status).toBe(200);
  expect(response.headers.get("content-type")).toBe("application/zip");
  return new Uint8Array(await response.arrayBuffer());
}

async function png(rgb: readonly [number, number, number], width = 20, height = 10): Promise<Uint8Array> {
  return toPng(solid(width, height, rgb));
}

describe.skipIf(!HAVE_CLOTHING)("clothing validation set (folder per label, zipped)", () => {
  test("imports through the token route with counts per label; export and re-import give the same annotations", async () => {
    const task = await alice.caller.task.create({ workspaceId, name: "Clothing", type: "categorization" });
    const expected: Record<string, number> = {};
    for (const file of filesUnder(CLOTHING)) {
      const label = file.split("/")[0] as string;
      expected[label] = (expected[label] ?? 0) + 1;
    }
    const form = new FormData();
    form.append("file", new Blob([new Uint8Array(zipOf(CLOTHING, "validation/"))]), "validation.zip");
    const response = await handleTrainingImport(
      new Request(`http://localhost/api/workspaces/${workspaceId}/tasks/${task.id}/training-images`, {
        method: "POST",
        headers: { authorization: `Token ${tokenKey}` },
        body: form,
      }),
      services,
      { workspaceId, taskId: task.id },
    );
    const body = (await response.json()) as {
      import: { added: number; duplicates: number; perLabel: Record<string, number> };
    };
    expect(response.status).toBe(201);
    const total = Object.values(expected).reduce((a, b) => a + b, 0);
    // Same bytes under two names are kept once (the dataset may have such pairs).
    expect(body.import.added + body.import.duplicates).toBe(total);
    const perLabelSum = Object.values(body.import.perLabel).reduce((a, b) => a + b, 0);
    expect(perLabelSum).toBe(body.import.added);
    for (const [label, n] of Object.entries(body.import.perLabel)) expect(n).toBeLessThanOrEqual(expected[label] ?? 0);
    expect(Object.keys(body.import.perLabel).sort()).toEqual(Object.keys(expected).sort());
    expect([...(await alice.caller.task.get({ workspaceId, taskId: task.id })).labels].sort()).toEqual(
      Object.keys(expected).sort(),
    );
    const counts = await viewer.caller.trainingSet.counts({ workspaceId, taskId: task.id });
    expect(counts.total).toBe(body.import.added);
    expect(Object.fromEntries(counts.perLabel.map((c) => [c.label, c.images]))).toEqual(body.import.perLabel);
    expect(counts.byStatus).toEqual({ unlabelled: 0, labelled: body.import.added, verified: 0 });
    const page = await viewer.caller.trainingSet.list({ workspaceId, taskId: task.id, limit: 1 });
    expect(page.items[0]).toMatchObject({ source: "api", annotationSource: "import" });

    // Importing the same zip again adds nothing.
    const again = await importZip(task.id, zipOf(CLOTHING));
    expect(again).toMatchObject({ added: 0, duplicates: total });

    const exported = await exportZip(task.id, "folders");
    const copy = await alice.caller.task.create({ workspaceId, name: "Clothing copy", type: "categorization" });
    const reimported = await importZip(copy.id, exported);
    expect(reimported.added).toBe(body.import.added);
    expect(await annotationsBySha(copy.id)).toEqual(await annotationsBySha(task.id));
  });
});

/** The boxes of the raccoon VOC files by image file name, read straight from the XML. */
function raccoonBoxes(): Map<string, { label: string; box: number[] }[]> {
  const out = new Map<string, { label: string; box: number[] }[]>();
  for (const file of readdirSync(path.join(RACCOON, "annotations"))) {
    const xml = readFileSync(path.join(RACCOON, "annotations", file), "utf8");
    const name = /<filename>([^<]+)<\/filename>/.exec(xml)?.[1] as string;
    const boxes = [...xml.matchAll(/<object>[\s\S]*?<name>([^<]+)<\/name>[\s\S]*?<bndbox>([\s\S]*?)<\/bndbox>/g)].map(
      (m) => ({
        label: m[1] as string,
        box: ["xmin", "ymin", "xmax", "ymax"].map((k) =>
          Number(new RegExp(`<${k}>([^<]+)</${k}>`).exec(m[2] ?? "")?.[1]),
        ),
      }),
    );
    out.set(name, boxes);
  }
  return out;
}

describe.skipIf(!HAVE_RACCOON)("raccoon set (Pascal VOC)", () => {
  test("imports with the XML's boxes; export as VOC and re-import give the same annotations", async () => {
    const task = await alice.caller.task.create({ workspaceId, name: "Raccoons", type: "detection" });
    const files: Record<string, Uint8Array> = {};
    for (const sub of ["images", "annotations"]) {
      for (const file of filesUnder(path.join(RACCOON, sub))) {
        files[`${sub}/${file}`] = readFileSync(path.join(RACCOON, sub, file));
      }
    }
    const result = await importZip(task.id, zipSync(files, { level: 0 }));
    expect(result.format).toBe("voc");
    expect(result.newLabels).toEqual(["raccoon"]);
    const expected = raccoonBoxes();
    expect(result.added + result.duplicates).toBe(readdirSync(path.join(RACCOON, "images")).length);
    let cursor: number | null = null;
    let checked = 0;
    do {
      const page: Awaited<ReturnType<typeof alice.caller.trainingSet.list>> = await alice.caller.trainingSet.list({
        workspaceId,
        taskId: task.id,
        limit: 500,
        cursor,
      });
      for (const item of page.items) {
        const boxes = expected.get(item.fileName);
        if (boxes === undefined) continue;
        expect(item.annotation, item.fileName).toEqual({ kind: "boxes", boxes });
        checked++;
      }
      cursor = page.nextCursor;
    } while (cursor !== null);
    expect(checked).toBeGreaterThan(150);
    const counts = await alice.caller.trainingSet.counts({ workspaceId, taskId: task.id });
    const allBoxes = [...expected.values()].reduce((n, b) => n + b.length, 0);
    expect(counts.perLabel).toEqual([expect.objectContaining({ label: "raccoon", warning: null })]);
    expect(counts.perLabel[0]?.boxes).toBeLessThanOrEqual(allBoxes);

    const exported = await exportZip(task.id, "voc");
    const copy = await alice.caller.task.create({ workspaceId, name: "Raccoons copy", type: "detection" });
    await importZip(copy.id, exported);
    expect(await annotationsBySha(copy.id)).toEqual(await annotationsBySha(task.id));
  });
});

/** A PNG header claiming `width` x `height` pixels (no pixel data: only the header is read). */
async function hugePngHeader(width: number, height: number): Promise<Uint8Array> {
  const bytes = Buffer.from(await png([1, 2, 3], 1, 1));
  bytes.writeUInt32BE(width, 16);
  bytes.writeUInt32BE(height, 20);
  // The IHDR chunk's CRC covers its type and data (bytes 12..29).
  const { crc32 } = await import("node:zlib");
  bytes.writeUInt32BE(crc32(bytes.subarray(12, 29)) >>> 0, 29);
  return new Uint8Array(bytes);
}

describe("refused imports name the file and the reason, and change nothing", () => {
  test("bad input of each kind", async () => {
    const cats = await alice.caller.task.create({
      workspaceId,
      name: "Refusals",
      type: "categorization",
      labels: ["cat"],
    });
    const boxes = await alice.caller.task.create({
      workspaceId,
      name: "Refused boxes",
      type: "detection",
      labels: ["cat"],
    });
    const red = await png([200, 0, 0]);
    await importZip(cats.id, zipSync({ "cat/kept.png": red }));
    await importZip(
      boxes.id,
      zipSync({ "images/kept.png": red, "annotations/kept.xml": voc("kept.png", 20, 10, [1, 1, 5, 5]) }),
    );
    const before = {
      cats: await annotationsBySha(cats.id),
      boxes: await annotationsBySha(boxes.id),
      labels: (await alice.caller.task.get({ workspaceId, taskId: boxes.id })).labels,
      blobs: storedBlobs(),
    };
    const green = await png([0, 200, 0]);

    async function refused(
      taskId: string,
      files: Record<string, Uint8Array>,
      file: string,
      reason: RegExp,
      where: { line?: number; field?: string } = {},
    ) {
      const error = await importZip(taskId, zipSync(files), undefined).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error, `${file} should be refused`).toBeInstanceOf(TrainingImportError);
      const problems = (error as TrainingImportError).problems;
      expect(problems.map((p) => p.file)).toContain(file);
      expect(problems.find((p) => p.file === file)?.message).toMatch(reason);
      expect(problems.find((p) => p.file === file)).toMatchObject(where);
      expect(await annotationsBySha(cats.id)).toEqual(before.cats);
      expect(await annotationsBySha(boxes.id)).toEqual(before.boxes);
      expect((await alice.caller.task.get({ workspaceId, taskId: boxes.id })).labels).toEqual(before.labels);
      expect(storedBlobs()).toEqual(before.blobs);
    }

    await refused(
      cats.id,
      { "cat/new.png": green, "cat/notes.jpg": new TextEncoder().encode("not a photo") },
      "cat/notes.jpg",
      /^the data is not an image in a supported format/,
    );
    await refused(
      boxes.id,
      {
        "new.png": green,
        "coco.json": new TextEncoder().encode(
          JSON.stringify({
            images: [
              { id: 1, file_name: "new.png", width: 20, height: 10 },
              { id: 2, file_name: "missing.jpg", width: 20, height: 10 },
            ],
            annotations: [{ id: 1, image_id: 2, category_id: 1, bbox: [1, 1, 3, 3] }],
            categories: [{ id: 1, name: "cat" }],
          }),
        ),
      },
      "coco.json",
      /"missing\.jpg" is not an image in the upload/,
      { field: "images[1].file_name" },
    );
    await refused(
      boxes.id,
      { "images/new.png": green, "annotations/new.xml": voc("new.png", 20, 10, [5, 2, 40, 8]) },
      "annotations/new.xml",
      /the box \[5, 2, 40, 8\] of "cat" lies outside the 20×10 image/,
      { field: "object[0].bndbox" },
    );
    await refused(
      boxes.id,
      {
        "images/new.png": green,
        "labels/new.txt": new TextEncoder().encode("0 0.5 0.5 0.2\n"),
        "classes.txt": new TextEncoder().encode("cat\n"),
      },
      "labels/new.txt",
      /a YOLO line has 5 numbers \(class cx cy w h\); this one has 4/,
      { line: 1 },
    );
    await refused(
      cats.id,
      { "cat/new.png": green, "cat/huge.png": await hugePngHeader(10_000, 6_000) },
      "cat/huge.png",
      /10000x6000 \(60\.0 megapixels\), more than the limit of 50\.0 megapixels/,
    );
  });
});

function voc(file: string, width: number, height: number, box: number[]): Uint8Array {
  const [xmin, ymin, xmax, ymax] = box;
  return new TextEncoder().encode(
    `<annotation><filename>${file}</filename><size><width>${width}</width><height>${height}</height><depth>3</depth></size>` +
      `<object><name>cat</name><bndbox><xmin>${xmin}</xmin><ymin>${ymin}</ymin><xmax>${xmax}</xmax><ymax>${ymax}</ymax></bndbox></object></annotation>`,
  );
}

describe("HTTP route", () => {
  test("a member's upload of separate files (images and VOC files, names with folders) goes in as the browser's", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Loose files",
      type: "detection",
      labels: ["cat"],
    });
    const form = new FormData();
    form.append("format", "voc");
    form.append("file", new Blob([new Uint8Array(await png([30, 30, 30]))]), "images/one.png");
    form.append("file", new Blob([new Uint8Array(voc("one.png", 20, 10, [2, 1, 12, 9]))]), "annotations/one.xml");
    form.append("file", new Blob([new Uint8Array(await png([40, 40, 40]))]), "images/two.png");
    form.append("file", new Blob(["# notes"]), "README.md");
    const response = await handleTrainingImport(
      new Request(`http://localhost/api/workspaces/${workspaceId}/tasks/${task.id}/training-images`, {
        method: "POST",
        headers: bob.headers,
        body: form,
      }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(response.status).toBe(201);
    expect(await response.json()).toEqual({
      import: {
        format: "voc",
        added: 2,
        duplicates: 0,
        inTestSet: 0,
        perLabel: { cat: 1 },
        unlabelled: 1,
        newLabels: [],
        ignored: ["README.md"],
      },
    });
    const { items } = await bob.caller.trainingSet.list({ workspaceId, taskId: task.id });
    expect(items.map((i) => [i.fileName, i.source, i.annotation])).toEqual([
      ["one.png", "upload", { kind: "boxes", boxes: [{ label: "cat", box: [2, 1, 12, 9] }] }],
      ["two.png", "upload", null],
    ]);
    const outside = await refusal(
      bob.caller.trainingSet.setAnnotation({
        workspaceId,
        taskId: task.id,
        imageId: items[1]?.imageId as string,
        annotation: { kind: "boxes", boxes: [{ label: "cat", box: [5, 5, 30, 9] }] },
      }),
    );
    expect(outside.message).toBe("Box 1 (cat) [5, 5, 30, 9] lies outside two.png (20x10 pixels).");
    const drawn = await bob.caller.trainingSet.setAnnotation({
      workspaceId,
      taskId: task.id,
      imageId: items[1]?.imageId as string,
      annotation: { kind: "boxes", boxes: [{ label: "cat", box: [5, 5, 20, 9] }] },
    });
    expect(drawn).toMatchObject({ status: "verified", annotationSource: "person", confirmedBy: [bob.id] });
    const noFile = await handleTrainingImport(
      new Request("http://localhost/x", {
        method: "POST",
        headers: { authorization: `Token ${tokenKey}` },
        body: new FormData(),
      }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(noFile.status).toBe(400);
    const badToken = await handleTrainingImport(
      new Request("http://localhost/x", { method: "POST", headers: { authorization: "Token nope" }, body: form }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(badToken.status).toBe(401);
  });
});

describe("signed links", () => {
  test("a valid link gives the image and a cached thumbnail; expired, altered, another workspace's or unsigned links get 403", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Links",
      type: "categorization",
      labels: ["big"],
    });
    const big = await png([10, 120, 240], 600, 300);
    await importZip(task.id, zipSync({ "big/wide.png": big }));
    const [item] = (await viewer.caller.trainingSet.list({ workspaceId, taskId: task.id })).items;
    if (!item) throw new Error("no item");
    const get = (url: string, ws = workspaceId) => {
      const parsed = new URL(url, "http://localhost");
      const [, , , , , imageId, variant] = parsed.pathname.split("/");
      return handleTrainingImage(new Request(parsed), services, {
        workspaceId: ws,
        imageId: decodeURIComponent(imageId ?? ""),
        variant: variant ?? "",
      });
    };
    const full = await get(item.imageUrl);
    expect(full.status).toBe(200);
    expect(full.headers.get("content-type")).toBe("image/png");
    expect(new Uint8Array(await full.arrayBuffer())).toEqual(big);

    const blobsBefore = storedBlobs().length;
    const thumb = await get(item.thumbnailUrl);
    expect(thumb.status).toBe(200);
    expect(thumb.headers.get("content-type")).toBe("image/webp");
    const meta = await checkImageHeader(new Uint8Array(await thumb.arrayBuffer()));
    expect([meta.format, meta.width, meta.height]).toEqual(["webp", 256, 128]);
    expect(storedBlobs().length).toBe(blobsBefore + 1);
    expect((await get(item.thumbnailUrl)).status).toBe(200);
    // Made once: the second request used the cached one.
    expect(storedBlobs().length).toBe(blobsBefore + 1);

    const secret = await trainingLinkSecret(services.database);
    const old = signTrainingImageLink(
      secret,
      { workspaceId, imageId: item.imageId, variant: "full" },
      Date.now() - TRAINING_LINK_TTL_MS - 11 * 60_000,
    );
    const expired = await get(old);
    expect(expired.status).toBe(403);
    expect(((await expired.json()) as { error: { message: string } }).error.message).toMatch(/expired/);
    const signature = new URL(item.imageUrl, "http://localhost").searchParams.get("signature") as string;
    const flipped = `${signature[0] === "A" ? "B" : "A"}${signature.slice(1)}`;
    expect((await get(item.imageUrl.replace(signature, flipped))).status).toBe(403);
    const later = item.imageUrl.replace(/expires=(\d+)/, (_, n: string) => `expires=${Number(n) + 3600}`);
    expect((await get(later)).status).toBe(403);
    // The same link under another workspace's path: refused (the signature covers the workspace).
    expect((await get(item.imageUrl.replace(workspaceId, otherWorkspaceId), otherWorkspaceId)).status).toBe(403);
    expect((await get(item.imageUrl.split("?")[0] as string)).status).toBe(403);
    expect((await get(item.thumbnailUrl.replace("thumbnail?", "full?"))).status).toBe(403);
    // Carol (another workspace) cannot list this workspace's set to get a link.
    expect((await refusal(carol.caller.trainingSet.list({ workspaceId, taskId: task.id }))).code).toBe("NOT_FOUND");
  });
});

describe("annotations, review and roles", () => {
  test("two members verify an image; counts follow; viewers cannot write", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Review",
      type: "categorization",
      labels: ["red", "green"],
    });
    await importZip(
      task.id,
      zipSync({ "a.png": await png([250, 0, 0]), "b.png": await png([0, 250, 0]), "c.png": await png([0, 0, 250]) }),
    );
    const { items } = await alice.caller.trainingSet.list({ workspaceId, taskId: task.id, status: "unlabelled" });
    expect(items.map((i) => i.fileName)).toEqual(["a.png", "b.png", "c.png"]);
    const [a, b, c] = items.map((i) => i.imageId) as [string, string, string];
    await alice.caller.trainingSet.setChecksRequired({ workspaceId, taskId: task.id, checksRequired: 2 });
    expect(
      await alice.caller.trainingSet.setAnnotation({
        workspaceId,
        taskId: task.id,
        imageId: a,
        annotation: { kind: "category", label: "red" },
      }),
    ).toMatchObject({ status: "labelled", confirmedBy: [alice.id] });
    await alice.caller.trainingSet.confirm({ workspaceId, taskId: task.id, imageIds: [a] });
    let counts = await viewer.caller.trainingSet.counts({ workspaceId, taskId: task.id });
    expect(counts.byStatus).toEqual({ unlabelled: 2, labelled: 1, verified: 0 });
    await bob.caller.trainingSet.confirm({ workspaceId, taskId: task.id, imageIds: [a] });
    counts = await viewer.caller.trainingSet.counts({ workspaceId, taskId: task.id });
    expect(counts.byStatus).toEqual({ unlabelled: 2, labelled: 0, verified: 1 });
    expect(counts.perLabel).toEqual([
      {
        label: "red",
        images: 1,
        boxes: 0,
        warning: '"red" has 1 image; training needs at least 5 images per label (4 more).',
      },
      {
        label: "green",
        images: 0,
        boxes: 0,
        warning: '"green" has 0 images; training needs at least 5 images per label (5 more).',
      },
    ]);
    expect(counts.minimum).toBe(5);
    expect(
      (await alice.caller.trainingSet.list({ workspaceId, taskId: task.id, status: "verified" })).items,
    ).toHaveLength(1);

    const unknown = await refusal(
      bob.caller.trainingSet.setAnnotation({
        workspaceId,
        taskId: task.id,
        imageId: b,
        annotation: { kind: "category", label: "blue" },
      }),
    );
    expect(unknown.message).toBe('The task has no label "blue"; add it to the task first.');
    const wrongKind = await refusal(
      bob.caller.trainingSet.setAnnotation({
        workspaceId,
        taskId: task.id,
        imageId: b,
        annotation: { kind: "value", value: 1 },
      }),
    );
    expect(wrongKind.message).toBe("A categorization task takes a category annotation, not value.");

    for (const call of [
      () => viewer.caller.trainingSet.setAnnotation({ workspaceId, taskId: task.id, imageId: b, annotation: null }),
      () => viewer.caller.trainingSet.confirm({ workspaceId, taskId: task.id, imageIds: [a] }),
      () => viewer.caller.trainingSet.bulk({ workspaceId, taskId: task.id, imageIds: [b], action: { kind: "delete" } }),
      () => bob.caller.trainingSet.setChecksRequired({ workspaceId, taskId: task.id, checksRequired: 1 }),
    ]) {
      expect((await refusal(call())).code).toBe("FORBIDDEN");
    }
    const viewerUpload = new FormData();
    viewerUpload.append("file", new Blob([new Uint8Array(await png([1, 1, 1]))]), "x.png");
    const viewerResponse = await handleTrainingImport(
      new Request("http://localhost/x", { method: "POST", headers: viewer.headers, body: viewerUpload }),
      services,
      { workspaceId, taskId: task.id },
    );
    expect(viewerResponse.status).toBe(403);
    expect((await alice.caller.trainingSet.counts({ workspaceId, taskId: task.id })).total).toBe(3);

    // Bulk: set a label on two, then move one into a new test set: it leaves the training set.
    expect(
      await bob.caller.trainingSet.bulk({
        workspaceId,
        taskId: task.id,
        imageIds: [b, c],
        action: { kind: "setLabel", label: "green" },
      }),
    ).toEqual({ changed: 2 });
    const moved = await bob.caller.trainingSet.bulk({
      workspaceId,
      taskId: task.id,
      imageIds: [c],
      action: { kind: "moveToTestSet", testSetName: "Held out" },
    });
    expect(moved.changed).toBe(1);
    const testImages = await listTestSetImages(services.database.db, workspaceId, moved.testSetId as string);
    expect(testImages.map((i) => [i.fileName, i.truth])).toEqual([["c.png", "green"]]);
    expect(
      (await alice.caller.trainingSet.list({ workspaceId, taskId: task.id })).items.map((i) => i.fileName),
    ).toEqual(["a.png", "b.png"]);
    // Importing it again keeps the two sets apart.
    expect(await importZip(task.id, zipSync({ "again.png": await png([0, 0, 250]) }))).toMatchObject({
      added: 0,
      inTestSet: 1,
    });
    const blobs = storedBlobs().length;
    expect(
      await bob.caller.trainingSet.bulk({ workspaceId, taskId: task.id, imageIds: [b], action: { kind: "delete" } }),
    ).toEqual({ changed: 1 });
    expect(storedBlobs().length).toBe(blobs - 1);
  });

  test("tags: add and remove on a selection; Negative stands alone", async () => {
    const task = await alice.caller.task.create({
      workspaceId,
      name: "Tags",
      type: "tagging",
      labels: ["round", "red"],
    });
    await importZip(task.id, zipSync({ "one.png": await png([9, 9, 9]), "two.png": await png([8, 8, 8]) }));
    const ids = (await alice.caller.trainingSet.list({ workspaceId, taskId: task.id })).items.map((i) => i.imageId);
    const annotations = async () =>
      (await alice.caller.trainingSet.list({ workspaceId, taskId: task.id })).items.map((i) => i.annotation);
    await bob.caller.trainingSet.bulk({
      workspaceId,
      taskId: task.id,
      imageIds: ids,
      action: { kind: "addTag", tag: "round" },
    });
    await bob.caller.trainingSet.bulk({
      workspaceId,
      taskId: task.id,
      imageIds: ids.slice(0, 1),
      action: { kind: "addTag", tag: "red" },
    });
    expect(await annotations()).toEqual([
      { kind: "tags", tags: ["round", "red"] },
      { kind: "tags", tags: ["round"] },
    ]);
    await bob.caller.trainingSet.bulk({
      workspaceId,
      taskId: task.id,
      imageIds: ids,
      action: { kind: "removeTag", tag: "round" },
    });
    expect(await annotations()).toEqual([{ kind: "tags", tags: ["red"] }, null]);
    await bob.caller.trainingSet.bulk({
      workspaceId,
      taskId: task.id,
      imageIds: ids,
      action: { kind: "addTag", tag: "Negative" },
    });
    expect(await annotations()).toEqual([
      { kind: "tags", tags: ["Negative"] },
      { kind: "tags", tags: ["Negative"] },
    ]);
    expect(
      (
        await refusal(
          bob.caller.trainingSet.bulk({
            workspaceId,
            taskId: task.id,
            imageIds: ids,
            action: { kind: "addTag", tag: "blue" },
          }),
        )
      ).message,
    ).toBe('The task has no label "blue"; add it to the task first.');
  });
});

describe("my jobs across tasks", () => {
  test("jobs without a task list the member's own jobs of every task in this workspace, and nobody else's", async () => {
    const make = async (name: string, colour: [number, number, number]) => {
      const task = await alice.caller.task.create({ workspaceId, name, type: "categorization", labels: ["x"] });
      await importZip(task.id, zipSync({ [`${name}.png`]: await png(colour) }));
      return task.id;
    };
    const first = await make("Jobs one", [10, 200, 30]);
    const second = await make("Jobs two", [200, 10, 30]);
    await alice.caller.trainingSet.createJobs({ workspaceId, taskId: first, assignees: [bob.id] });
    await alice.caller.trainingSet.createJobs({ workspaceId, taskId: second, assignees: [bob.id] });
    const mine = await bob.caller.trainingSet.jobs({ workspaceId, mine: true });
    expect(mine.map((j) => [j.taskId, j.assigneeId, j.imageCount, j.done])).toEqual([
      [first, bob.id, 1, 0],
      [second, bob.id, 1, 0],
    ]);
    expect(await alice.caller.trainingSet.jobs({ workspaceId, mine: true })).toEqual([]);
    expect((await alice.caller.trainingSet.jobs({ workspaceId, taskId: second })).map((j) => j.assigneeId)).toEqual([
      bob.id,
    ]);
    expect(await carol.caller.trainingSet.jobs({ workspaceId: otherWorkspaceId, mine: true })).toEqual([]);
  });
});
