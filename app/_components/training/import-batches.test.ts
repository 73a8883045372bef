import { describe, expect, test } from "vitest";
import { planImportBatches, type PickedFile } from "./import-batches";

const file = (path: string, size = 10): PickedFile<string> => ({ file: path, path, size });
const paths = (batch: { files: PickedFile<string>[] }) => batch.files.map((f) => f.path);

describe("planImportBatches", () => {
  test("each zip goes up alone; files the import cannot take are left out", () => {
    const batches = planImportBatches([file("a.zip"), file("notes.docx"), file("b.zip"), file("cat/1.jpg")]);
    expect(batches.map(paths)).toEqual([["a.zip"], ["b.zip"], ["cat/1.jpg"]]);
    expect(batches[0]?.name).toBe("a.zip");
  });

  test("a folder per label is split by file count and by bytes", () => {
    const many = Array.from({ length: 450 }, (_, i) => file(`shirt/${i}.jpg`));
    expect(planImportBatches(many, 200).map((b) => b.files.length)).toEqual([200, 200, 50]);
    const big = Array.from({ length: 5 }, (_, i) => file(`shirt/${i}.jpg`, 40));
    expect(planImportBatches(big, 200, 100).map((b) => b.files.length)).toEqual([2, 2, 1]);
  });

  test("a VOC image and its XML stay in one batch", () => {
    const files = [
      ...Array.from({ length: 3 }, (_, i) => file(`images/r-${i}.jpg`)),
      ...Array.from({ length: 3 }, (_, i) => file(`annotations/r-${i}.xml`)),
    ];
    const batches = planImportBatches(files, 3);
    for (const batch of batches) {
      const stems = paths(batch).map((p) => p.replace(/^.*\//, "").replace(/\..*$/, ""));
      for (const stem of stems) expect(stems.filter((s) => s === stem)).toHaveLength(2);
    }
    expect(batches.flatMap(paths).sort()).toEqual(files.map((f) => f.path).sort());
  });

  test("YOLO class lists go with every batch", () => {
    const files = [file("classes.txt"), ...Array.from({ length: 4 }, (_, i) => file(`images/${i}.jpg`))];
    const batches = planImportBatches(files, 2);
    expect(batches).toHaveLength(2);
    for (const batch of batches) expect(paths(batch)[0]).toBe("classes.txt");
  });

  test("a COCO, CSV or JSON list keeps every other file in one batch", () => {
    const files = [file("coco.json"), ...Array.from({ length: 5 }, (_, i) => file(`images/${i}.jpg`))];
    const batches = planImportBatches(files, 2);
    expect(batches).toHaveLength(1);
    expect(batches[0]?.files).toHaveLength(6);
  });
});
