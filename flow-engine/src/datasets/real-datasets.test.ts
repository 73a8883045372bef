/**
 * The layouts on real data: `../shared/datasets/raccoon` (Pascal VOC) and `clothing/validation` (a folder
 * per label). Skipped where `../shared/datasets` is absent. Image sizes come from the files (sharp).
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import sharp from "sharp";
import { describe, expect, it } from "vitest";
import { readDatasetLayout } from "./read.js";
import type { DatasetFormat, DatasetImage, ReadDatasetResult, TrainingAnnotation } from "./types.js";
import { writeDatasetLayout } from "./write.js";
import type { TaskType } from "@vizflow/sdk";

const DATASETS = fileURLToPath(new URL("../../../../shared/datasets/", import.meta.url));
const present = existsSync(`${DATASETS}README.md`);

async function imagesUnder(root: string, paths: readonly string[]): Promise<DatasetImage[]> {
  return Promise.all(
    paths.map(async (path) => {
      const { width, height } = await sharp(`${root}${path}`).metadata();
      return { path, width, height };
    }),
  );
}

function ok(result: ReadDatasetResult) {
  if (!result.ok) throw new Error(`refused: ${JSON.stringify(result.problems.slice(0, 5))}`);
  return result;
}

/** Export in `format`, read the export back as a new task, and give the annotations by the images' order. */
function reread(
  taskType: TaskType,
  format: DatasetFormat,
  labels: string[],
  images: readonly DatasetImage[],
  annotations: (TrainingAnnotation | null)[],
) {
  const samples = images.map((image, i) => ({
    fileName: image.path.split("/").at(-1) as string,
    width: image.width,
    height: image.height,
    annotation: annotations[i] ?? null,
  }));
  const exported = writeDatasetLayout({ taskType, format, labels, samples });
  const read = ok(
    readDatasetLayout({
      taskType,
      labels: [],
      images: exported.images.map((e, i) => ({
        path: e.path,
        width: samples[i]?.width ?? 0,
        height: samples[i]?.height ?? 0,
      })),
      manifests: new Map(exported.manifests.map((m) => [m.path, m.text])),
    }),
  );
  return read.samples.map((s) => s.annotation);
}

describe.skipIf(!present)(
  present ? "real datasets of ../shared/datasets" : "real datasets (skipped: ../shared/datasets is absent)",
  () => {
    it("reads the raccoon Pascal VOC set: boxes equal to the XML's, and every export reads back the same", async () => {
      const root = `${DATASETS}raccoon/`;
      const images = await imagesUnder(
        root,
        readdirSync(`${root}images`)
          .filter((f) => f.endsWith(".jpg"))
          .map((f) => `images/${f}`),
      );
      const xml = readdirSync(`${root}annotations`).filter((f) => f.endsWith(".xml"));
      const manifests = new Map(xml.map((f) => [`annotations/${f}`, readFileSync(`${root}annotations/${f}`, "utf8")]));
      const result = ok(readDatasetLayout({ taskType: "detection", labels: ["raccoon"], images, manifests }));
      expect(result.format).toBe("voc");
      expect(images).toHaveLength(200);

      // The XML's own numbers, read here with a regular expression rather than the reader under test.
      const expectedBoxes = (file: string) =>
        [
          ...(manifests.get(`annotations/${file}`) ?? "").matchAll(
            /<xmin>(\d+)<\/xmin>\s*<ymin>(\d+)<\/ymin>\s*<xmax>(\d+)<\/xmax>\s*<ymax>(\d+)<\/ymax>/g,
          ),
        ].map((m) => ({ label: "raccoon", box: m.slice(1, 5).map(Number) }));
      const byPath = new Map(result.samples.map((s) => [s.path, s.annotation]));
      expect(byPath.get("images/raccoon-1.jpg")).toEqual({
        kind: "boxes",
        boxes: [{ label: "raccoon", box: [81, 88, 522, 408] }],
      });
      for (const file of xml) {
        expect(byPath.get(`images/${file.replace(/\.xml$/, ".jpg")}`), file).toEqual({
          kind: "boxes",
          boxes: expectedBoxes(file),
        });
      }
      const objects = [...manifests.values()].reduce((n, text) => n + (text.match(/<object>/g)?.length ?? 0), 0);
      const boxes = result.samples.reduce(
        (n, s) => n + (s.annotation?.kind === "boxes" ? s.annotation.boxes.length : 0),
        0,
      );
      expect(boxes).toBe(objects);
      expect(result.samples.every((s) => s.annotation !== null)).toBe(true);

      const annotations = result.samples.map((s) => s.annotation);
      for (const format of ["voc", "coco", "yolo"] as const) {
        expect(reread("detection", format, ["raccoon"], images, annotations), format).toEqual(annotations);
      }
    });

    it("reads clothing/validation as a folder per label with its counts, and every export reads back the same", async () => {
      const root = `${DATASETS}clothing/`;
      const folders = readdirSync(`${root}validation`).sort();
      const paths = folders.flatMap((label) =>
        readdirSync(`${root}validation/${label}`).map((f) => `validation/${label}/${f}`),
      );
      const images = await imagesUnder(root, paths);
      const result = ok(readDatasetLayout({ taskType: "categorization", labels: [], images, manifests: new Map() }));
      expect(result.format).toBe("folders");
      expect(images).toHaveLength(341);
      expect([...result.newLabels].sort()).toEqual([
        "dress",
        "hat",
        "longsleeve",
        "outwear",
        "pants",
        "shirt",
        "shoes",
        "shorts",
        "skirt",
        "t-shirt",
      ]);
      const counts: Record<string, number> = {};
      for (const s of result.samples)
        if (s.annotation?.kind === "category") counts[s.annotation.label] = (counts[s.annotation.label] ?? 0) + 1;
      expect(counts).toEqual(
        Object.fromEntries(folders.map((label) => [label, readdirSync(`${root}validation/${label}`).length])),
      );
      expect(counts["t-shirt"]).toBe(81);

      const annotations = result.samples.map((s) => s.annotation);
      for (const format of ["folders", "csv", "json"] as const) {
        expect(reread("categorization", format, result.labels, images, annotations), format).toEqual(annotations);
      }
    });
  },
);
