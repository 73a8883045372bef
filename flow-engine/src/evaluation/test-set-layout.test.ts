import { describe, expect, it } from "vitest";
import { isImagePath, readTestSetLayout } from "./test-set-layout.js";

describe("readTestSetLayout", () => {
  it("reads categorization folders, also under one top folder, and skips zip metadata", () => {
    expect(isImagePath("__MACOSX/cat/._1.png")).toBe(false);
    expect(readTestSetLayout("categorization", ["cat", "dog"], ["set/cat/1.png", "set/dog/2.jpg"], new Map())).toEqual({
      ok: true,
      samples: [
        { path: "set/cat/1.png", truth: "cat" },
        { path: "set/dog/2.jpg", truth: "dog" },
      ],
    });
  });

  it("names folders that are not labels and images outside folders", () => {
    const layout = readTestSetLayout("categorization", ["cat", "dog"], ["cat/1.png", "bird/2.png", "3.png"], new Map());
    expect(layout).toEqual({
      ok: false,
      problems: [
        "3.png: put each image in a folder named after its label (label/image.jpg)",
        'folder "bird" is not a label of the task (labels: cat, dog)',
      ],
    });
  });

  it("reads tagging labels from labels.csv with a header, and reports unknown labels and unlisted images", () => {
    const csv = "file,labels\n1.png,a;b\nimgs/2.png,\n";
    expect(
      readTestSetLayout("tagging", ["a", "b"], ["imgs/1.png", "imgs/2.png"], new Map([["labels.csv", csv]])),
    ).toEqual({
      ok: true,
      samples: [
        { path: "imgs/1.png", truth: ["a", "b"] },
        { path: "imgs/2.png", truth: [] },
      ],
    });
    const bad = readTestSetLayout("tagging", ["a"], ["1.png", "2.png"], new Map([["labels.json", '{"1.png": ["z"]}']]));
    expect(bad).toEqual({
      ok: false,
      problems: [
        'labels.json: "1.png" has label(s) "z" that the task does not have',
        "labels.json does not list 1 image(s): 2.png",
      ],
    });
  });

  it("reads regression values and refuses values that are not numbers", () => {
    expect(readTestSetLayout("regression", [], ["1.png"], new Map([["values.csv", "1.png,2.5"]]))).toEqual({
      ok: true,
      samples: [{ path: "1.png", truth: 2.5 }],
    });
    expect(readTestSetLayout("regression", [], ["1.png"], new Map([["values.csv", "1.png,abc"]]))).toEqual({
      ok: false,
      problems: ['values.csv: the value of "1.png" is not a number'],
    });
  });

  it("reads COCO boxes as [xmin, ymin, xmax, ymax] and asks for the annotations when missing", () => {
    const coco = {
      images: [
        { id: 7, file_name: "a.png" },
        { id: 8, file_name: "b.png" },
      ],
      annotations: [{ image_id: 7, category_id: 1, bbox: [10, 20, 30, 40] }],
      categories: [{ id: 1, name: "face" }],
    };
    expect(
      readTestSetLayout("detection", ["face"], ["a.png", "b.png"], new Map([["coco.json", JSON.stringify(coco)]])),
    ).toEqual({
      ok: true,
      samples: [
        { path: "a.png", truth: [{ name: "face", box: [10, 20, 40, 60] }] },
        { path: "b.png", truth: [] },
      ],
    });
    expect(readTestSetLayout("detection", ["face"], ["a.png"], new Map())).toMatchObject({
      ok: false,
      problems: [expect.stringMatching(/add the COCO annotations/)],
    });
  });

  it("refuses an upload without images", () => {
    expect(readTestSetLayout("categorization", ["a"], [], new Map())).toMatchObject({ ok: false });
  });
});
