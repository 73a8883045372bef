/**
 * Writes a training set out in one of the layouts `readDatasetLayout` reads, so that an export read back
 * gives the same annotations (boxes to 1/1000 px, as every layout reads them).
 */
import { writeCoco } from "./coco.js";
import { writeCsvList, writeJsonList, type ListKind } from "./lists.js";
import { stemOf, uniqueFileNames } from "./paths.js";
import {
  NEGATIVE_TAG,
  type DatasetExport,
  type TrainingAnnotation,
  type TrainingBox,
  type WriteDatasetInput,
} from "./types.js";
import { writeVoc } from "./voc.js";
import { writeYolo } from "./yolo.js";

const IMAGES = "images/";

function labelsUsed(annotation: TrainingAnnotation | null): string[] {
  if (annotation === null) return [];
  if (annotation.kind === "category") return [annotation.label];
  if (annotation.kind === "tags") return annotation.tags.filter((t) => t !== NEGATIVE_TAG);
  if (annotation.kind === "boxes") return annotation.boxes.map((b) => b.label);
  return [];
}

function boxesOf(annotation: TrainingAnnotation | null): readonly TrainingBox[] | undefined {
  return annotation?.kind === "boxes" ? annotation.boxes : undefined;
}

/** The task's labels, then any label the annotations use that the list lacks (an old, renamed label). */
function allLabels(input: WriteDatasetInput): string[] {
  const labels = [...input.labels];
  for (const sample of input.samples) {
    for (const label of labelsUsed(sample.annotation)) if (!labels.includes(label)) labels.push(label);
  }
  return labels;
}

function yamlString(value: string): string {
  return JSON.stringify(value);
}

/**
 * Where each image goes in the exported zip (in the order of `samples`) and the manifest files.
 * `folders` puts images in a folder per label and unlabelled ones at the top; the others put images under
 * `images/`. A label holding `/` cannot be a folder name: export such a task as CSV or JSON.
 */
export function writeDatasetLayout(input: WriteDatasetInput): DatasetExport {
  const names = uniqueFileNames(input.samples.map((s) => s.fileName));
  const samples = input.samples.map((s, i) => ({ ...s, name: names[i] as string }));
  const labels = allLabels(input);
  const inImages = samples.map((s) => ({ fileName: s.fileName, path: `${IMAGES}${s.name}` }));
  const kind: ListKind = input.taskType === "tagging" ? "tags" : input.taskType === "regression" ? "value" : "category";
  switch (input.format) {
    case "folders":
      return {
        images: samples.map((s) => ({
          fileName: s.fileName,
          path: s.annotation?.kind === "category" ? `${s.annotation.label}/${s.name}` : s.name,
        })),
        manifests: [],
      };
    case "csv":
    case "json": {
      const list = samples.map((s) => ({ path: `${IMAGES}${s.name}`, annotation: s.annotation }));
      const stem = kind === "value" ? "values" : "labels";
      const text = input.format === "csv" ? writeCsvList(kind, list) : writeJsonList(kind, list);
      return { images: inImages, manifests: [{ path: `${stem}.${input.format}`, text }] };
    }
    case "coco": {
      const labelled = samples.flatMap((s) => {
        const boxes = boxesOf(s.annotation);
        return boxes === undefined ? [] : [{ fileName: s.name, width: s.width, height: s.height, boxes }];
      });
      return { images: inImages, manifests: [{ path: "annotations.json", text: writeCoco(labels, labelled) }] };
    }
    case "voc":
      return {
        images: inImages,
        manifests: samples.flatMap((s) => {
          const boxes = boxesOf(s.annotation);
          return boxes === undefined
            ? []
            : [
                {
                  path: `annotations/${stemOf(s.name)}.xml`,
                  text: writeVoc("images", s.name, s.width, s.height, boxes),
                },
              ];
        }),
      };
    case "yolo": {
      const ids = new Map(labels.map((label, i) => [label, i]));
      const names = labels.map((label, i) => `  ${i}: ${yamlString(label)}`).join("\n");
      return {
        images: inImages,
        manifests: [
          { path: "classes.txt", text: labels.length === 0 ? "" : `${labels.join("\n")}\n` },
          {
            path: "data.yaml",
            text: `# YOLO dataset: images/ and labels/ (one .txt per image: class cx cy w h, fractions of the image)\npath: .\ntrain: images\nval: images\nnc: ${labels.length}\nnames:${labels.length === 0 ? " {}" : `\n${names}`}\n`,
          },
          ...samples.flatMap((s) => {
            const boxes = boxesOf(s.annotation);
            return boxes === undefined
              ? []
              : [{ path: `labels/${stemOf(s.name)}.txt`, text: writeYolo(ids, s.width, s.height, boxes) }];
          }),
        ],
      };
    }
  }
}
