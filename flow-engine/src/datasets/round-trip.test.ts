import { describe, expect, it } from "vitest";
import { readDatasetLayout } from "./read.js";
import { datasetFormatsFor, type DatasetFormat, type TrainingAnnotation, type WriteDatasetSample } from "./types.js";
import { writeDatasetLayout } from "./write.js";
import type { TaskType } from "@vizflow/sdk";

/** Export, then read the export back as a new task (no labels) would, keyed by the images' file names. */
function roundTrip(
  taskType: TaskType,
  format: DatasetFormat,
  labels: readonly string[],
  samples: readonly WriteDatasetSample[],
) {
  const exported = writeDatasetLayout({ taskType, format, labels, samples });
  expect(new Set(exported.images.map((i) => i.path)).size).toBe(samples.length);
  const read = readDatasetLayout({
    taskType,
    labels: [],
    images: exported.images.map((image, i) => ({
      path: image.path,
      width: samples[i]?.width ?? 0,
      height: samples[i]?.height ?? 0,
    })),
    manifests: new Map(exported.manifests.map((m) => [m.path, m.text])),
  });
  if (!read.ok) throw new Error(`the export does not read back: ${JSON.stringify(read.problems)}`);
  expect(read.format).toBe(format);
  return { exported, read, annotations: read.samples.map((s) => s.annotation) };
}

const sample = (fileName: string, annotation: TrainingAnnotation | null, width = 640, height = 480) => ({
  fileName,
  width,
  height,
  annotation,
});

describe("writeDatasetLayout then readDatasetLayout", () => {
  it("lists the formats of each task type, the default first", () => {
    expect(datasetFormatsFor("categorization")).toEqual(["folders", "csv", "json"]);
    expect(datasetFormatsFor("tagging")).toEqual(["csv", "json"]);
    expect(datasetFormatsFor("regression")).toEqual(["csv", "json"]);
    expect(datasetFormatsFor("detection")).toEqual(["coco", "voc", "yolo"]);
  });

  const categories = [
    sample("a.jpg", { kind: "category", label: "cat" }),
    sample("b.jpg", { kind: "category", label: "dog, big" }),
    sample("c.jpg", null),
    sample("a.jpg", { kind: "category", label: "cat" }),
    sample("A.png", { kind: "category", label: "cat" }),
  ];
  for (const format of datasetFormatsFor("categorization")) {
    it(`round-trips categories through ${format}, files of the same name kept apart`, () => {
      const { exported, read, annotations } = roundTrip("categorization", format, ["cat", "dog, big"], categories);
      expect(annotations).toEqual(categories.map((s) => s.annotation));
      expect(read.newLabels).toEqual(["cat", "dog, big"]);
      expect(exported.images.map((i) => i.fileName)).toEqual(categories.map((s) => s.fileName));
    });
  }

  it("puts folders per label and unlabelled images at the top", () => {
    expect(
      writeDatasetLayout({
        taskType: "categorization",
        format: "folders",
        labels: ["cat"],
        samples: categories,
      }).images.map((i) => i.path),
    ).toEqual(["cat/a.jpg", "dog, big/b.jpg", "c.jpg", "cat/a (2).jpg", "cat/A (3).png"]);
  });

  const tags = [
    sample("1.jpg", { kind: "tags", tags: ["red", "round"] }),
    sample("2.jpg", { kind: "tags", tags: ["Negative"] }),
    sample("3.jpg", null),
    sample("4.jpg", { kind: "tags", tags: ["round"] }),
  ];
  for (const format of datasetFormatsFor("tagging")) {
    it(`round-trips tags and Negative through ${format}`, () => {
      const { read, annotations } = roundTrip("tagging", format, ["red", "round"], tags);
      expect(annotations).toEqual(tags.map((s) => s.annotation));
      expect(read.newLabels).toEqual(["red", "round"]);
    });
  }

  const values = [
    sample("1.jpg", { kind: "value", value: 2.5 }),
    sample("2.jpg", { kind: "value", value: -1e-7 }),
    sample("3.jpg", null),
  ];
  for (const format of datasetFormatsFor("regression")) {
    it(`round-trips values through ${format}`, () => {
      expect(roundTrip("regression", format, [], values).annotations).toEqual(values.map((s) => s.annotation));
    });
  }

  // Boxes with fractions of a pixel, on odd image sizes, touching the edges; and random ones below.
  const boxes = [
    sample(
      "p.jpg",
      {
        kind: "boxes",
        boxes: [
          { label: "raccoon", box: [81, 88, 522, 408] },
          { label: "cat", box: [0, 0.001, 649.999, 417] },
        ],
      },
      650,
      417,
    ),
    sample("q.jpg", { kind: "boxes", boxes: [] }, 333, 777),
    sample("r.jpg", null, 100, 100),
    sample(
      "s.jpg",
      {
        kind: "boxes",
        boxes: [
          { label: "cat", box: [10.1, 20.2, 30.3, 40.4] },
          { label: 'a <b> & "c"', box: [1.333, 2.667, 99.999, 50.5] },
        ],
      },
      101,
      51,
    ),
  ];
  let seed = 7;
  const random = () => (seed = (seed * 16807) % 2147483647) / 2147483647;
  for (let n = 0; n < 40; n++) {
    const width = 1 + Math.floor(random() * 5000);
    const height = 1 + Math.floor(random() * 5000);
    const list = Array.from({ length: 5 }, () => {
      const x = [random() * width, random() * width].map((v) => Math.round(v * 1000) / 1000).sort((a, b) => a - b);
      const y = [random() * height, random() * height].map((v) => Math.round(v * 1000) / 1000).sort((a, b) => a - b);
      return {
        label: random() < 0.5 ? "cat" : "raccoon",
        box: [x[0], y[0], x[1], y[1]].map(
          (v, i) => Math.round(((v as number) + (i >= 2 ? 0.001 : 0)) * 1000) / 1000,
        ) as [number, number, number, number],
      };
    }).filter(({ box }) => box[2] <= width && box[3] <= height);
    boxes.push(sample(`random${n}.jpg`, { kind: "boxes", boxes: list }, width, height));
  }
  for (const format of datasetFormatsFor("detection")) {
    it(`round-trips boxes through ${format} exactly (to 1/1000 px), keeping the class order`, () => {
      const { read, annotations } = roundTrip("detection", format, ["raccoon", "cat", 'a <b> & "c"', "unused"], boxes);
      expect(annotations).toEqual(boxes.map((s) => s.annotation));
      if (format !== "voc") expect(read.newLabels).toEqual(["raccoon", "cat", 'a <b> & "c"', "unused"]);
    });
  }

  it("writes YOLO fractions with 6 decimals where they read back exactly", () => {
    const { exported } = roundTrip("detection", "yolo", ["raccoon"], [boxes[0] as WriteDatasetSample]);
    expect(exported.manifests.find((m) => m.path === "labels/p.txt")?.text).toBe(
      "0 0.463846 0.594724 0.678462 0.767386\n1 0.499999 0.500001 0.999998 0.999998\n",
    );
    expect(exported.manifests.find((m) => m.path === "classes.txt")?.text).toBe("raccoon\ncat\n");
  });
});
