import { describe, expect, it } from "vitest";
import { readCsv } from "./csv.js";
import { MAX_DATASET_PROBLEMS, readDatasetLayout } from "./read.js";
import { formatDatasetProblem, type ReadDatasetInput } from "./types.js";

const image = (path: string, width = 100, height = 80) => ({ path, width, height });

function read(
  input: Partial<ReadDatasetInput> & Pick<ReadDatasetInput, "taskType">,
  files: Record<string, string> = {},
) {
  return readDatasetLayout({ labels: [], images: [], manifests: new Map(Object.entries(files)), ...input });
}

function problems(result: ReturnType<typeof readDatasetLayout>): string[] {
  if (result.ok) throw new Error(`expected problems, got ${JSON.stringify(result)}`);
  return result.problems.map(formatDatasetProblem);
}

describe("readCsv", () => {
  it("reads quotes, doubled quotes, line breaks inside quotes and CRLF, with the line each row starts on", () => {
    expect(readCsv('\uFEFFfile,label\r\n"a, b.jpg","say ""hi"""\n\n"multi\nline.jpg", cat \n')).toEqual([
      { line: 1, cells: ["file", "label"] },
      { line: 2, cells: ["a, b.jpg", 'say "hi"'] },
      { line: 4, cells: ["multi\nline.jpg", "cat"] },
    ]);
  });
});

describe("readDatasetLayout: categorization", () => {
  it("reads a folder per label under one top folder, images at the top unlabelled, labels from the data", () => {
    const result = read({
      taskType: "categorization",
      images: [image("set/cat/1.jpg"), image("set/dog/2.jpg"), image("set/3.jpg"), image("set/cat/4.png")],
    });
    expect(result).toEqual({
      ok: true,
      format: "folders",
      samples: [
        { path: "set/cat/1.jpg", annotation: { kind: "category", label: "cat" } },
        { path: "set/dog/2.jpg", annotation: { kind: "category", label: "dog" } },
        { path: "set/3.jpg", annotation: null },
        { path: "set/cat/4.png", annotation: { kind: "category", label: "cat" } },
      ],
      labels: ["cat", "dog"],
      newLabels: ["cat", "dog"],
    });
  });

  it("takes the label from the image's own folder (train/cat and val/cat are both cat)", () => {
    const result = read({
      taskType: "categorization",
      labels: ["cat"],
      images: [image("train/cat/1.jpg"), image("val/cat/2.jpg")],
    });
    expect(result).toMatchObject({ ok: true, newLabels: [], labels: ["cat"] });
  });

  it("refuses folders that are not labels of a task that has labels, naming the closest labels", () => {
    const result = read({
      taskType: "categorization",
      labels: ["dress", "shirt", "skirt", "hat"],
      images: [image("dres/1.jpg"), image("dres/2.jpg"), image("hat/3.jpg")],
    });
    expect(problems(result)).toEqual([
      'dres/: folder "dres" (2 times) is not a label of the task; the closest are "dress", "hat", "shirt"',
    ]);
  });

  it("reads file,label CSV with a header and a JSON list, with file names relative to the list", () => {
    const images = [image("data/images/a.jpg"), image("data/images/b.jpg"), image("data/images/c.jpg")];
    const csv = read(
      { taskType: "categorization", images },
      { "data/labels.csv": "file,label\nimages/a.jpg,cat\nb.jpg,dog\nc.jpg,\n" },
    );
    expect(csv).toMatchObject({
      ok: true,
      format: "csv",
      samples: [
        { annotation: { kind: "category", label: "cat" } },
        { annotation: { kind: "category", label: "dog" } },
        { annotation: null },
      ],
    });
    const json = read(
      { taskType: "categorization", images },
      { "labels.json": JSON.stringify([{ file: "a.jpg", label: "cat" }, { file: "b.jpg" }]) },
    );
    expect(json).toMatchObject({
      ok: true,
      format: "json",
      samples: [{ annotation: { label: "cat" } }, { annotation: null }, { annotation: null }],
    });
  });

  it("finds the columns by the header's names, in any order", () => {
    const images = [image("a.jpg"), image("b.jpg")];
    const csv = "label,notes,image\ncat,first,a.jpg\ndog,,b.jpg\n";
    expect(read({ taskType: "categorization", images }, { "l.csv": csv })).toMatchObject({
      ok: true,
      samples: [{ annotation: { label: "cat" } }, { annotation: { label: "dog" } }],
    });
    expect(problems(read({ taskType: "regression", images }, { "v.csv": "file,a,b\na.jpg,1,2\n" }))).toEqual([
      "v.csv line 1: the header names no column for the value (value, target, label); write file,value",
    ]);
  });

  it("refuses rows for files not in the upload, ambiguous names, and an image listed twice with different labels", () => {
    const images = [image("a/x.jpg"), image("b/x.jpg"), image("y.jpg")];
    const csv = "missing.jpg,cat\nx.jpg,cat\ny.jpg,cat\ny.jpg,dog\ny.jpg,cat\n";
    expect(
      problems(read({ taskType: "categorization", labels: ["cat", "dog"], images }, { "labels.csv": csv })),
    ).toEqual([
      'labels.csv line 1: "missing.jpg" is not an image in the upload',
      'labels.csv line 2: "x.jpg" could be any of 2 images (a/x.jpg, b/x.jpg); give its folder too',
      "labels.csv line 4: y.jpg is listed twice with different labels (also at labels.csv line 3); keep one",
    ]);
  });

  it("refuses a CSV next to a JSON list, and a format that does not fit the task", () => {
    const images = [image("a.jpg")];
    expect(problems(read({ taskType: "categorization", images }, { "a.csv": "", "b.json": "[]" }))).toEqual([
      "the upload holds a CSV list (a.csv) and a JSON list (b.json); keep one or choose the format",
    ]);
    expect(problems(read({ taskType: "categorization", images, format: "yolo" }))).toEqual([
      "categorization tasks cannot be read from yolo; use folders, csv, json",
    ]);
    expect(problems(read({ taskType: "categorization" }))).toEqual([
      "the upload holds no images (.jpg, .png, .webp, …)",
    ]);
  });

  it("collects every problem and caps the list with how many more there are", () => {
    const rows = Array.from({ length: MAX_DATASET_PROBLEMS + 7 }, (_, i) => `gone${i}.jpg,cat`).join("\n");
    const result = problems(read({ taskType: "categorization", images: [image("a.jpg")] }, { "labels.csv": rows }));
    expect(result).toHaveLength(MAX_DATASET_PROBLEMS + 1);
    expect(result.at(-1)).toBe("and 7 more problems");
  });
});

describe("readDatasetLayout: tagging and regression", () => {
  const images = [image("1.jpg"), image("2.jpg"), image("3.jpg"), image("4.jpg")];

  it("reads tags split by ; or |, Negative, and an empty cell as unlabelled", () => {
    const result = read(
      { taskType: "tagging", labels: ["red", "round"], images },
      { "tags.csv": "file,tags\n1.jpg,red;round\n2.jpg,round | red\n3.jpg,Negative\n4.jpg,\n" },
    );
    expect(result).toMatchObject({
      ok: true,
      samples: [
        { annotation: { kind: "tags", tags: ["red", "round"] } },
        { annotation: { kind: "tags", tags: ["round", "red"] } },
        { annotation: { kind: "tags", tags: ["Negative"] } },
        { annotation: null },
      ],
      newLabels: [],
    });
  });

  it("reads a JSON list of tags, [] as Negative, and takes labels from the data without Negative", () => {
    const list = [
      { file: "1.jpg", tags: ["a", "b"] },
      { file: "2.jpg", tags: [] },
      { file: "3.jpg", tags: ["Negative"] },
    ];
    const result = read({ taskType: "tagging", images }, { "labels.json": JSON.stringify(list) });
    expect(result).toMatchObject({
      ok: true,
      samples: [
        { annotation: { tags: ["a", "b"] } },
        { annotation: { tags: ["Negative"] } },
        { annotation: { tags: ["Negative"] } },
        { annotation: null },
      ],
      labels: ["a", "b"],
      newLabels: ["a", "b"],
    });
  });

  it("refuses Negative with other tags, tags that are not labels, and JSON entries without a file", () => {
    const list = [{ file: "1.jpg", tags: ["Negative", "red"] }, { file: "2.jpg", tags: ["rde"] }, { tags: ["red"] }];
    expect(
      problems(read({ taskType: "tagging", labels: ["red", "blue"], images }, { "l.json": JSON.stringify(list) })),
    ).toEqual([
      'l.json ([0].tags): 1.jpg: "Negative" means none of the tags, so it cannot go with "red"',
      'l.json ([2].file): the entry names no "file"',
      'l.json ([1].tags): label "rde" (1 time) is not a label of the task; the closest are "red", "blue", "Negative"',
    ]);
  });

  it("reads regression values and refuses a value that is not a number, with its line or field", () => {
    expect(read({ taskType: "regression", images }, { "values.csv": "1.jpg,2.5\n2.jpg,-3e2\n" })).toMatchObject({
      ok: true,
      samples: [
        { annotation: { kind: "value", value: 2.5 } },
        { annotation: { kind: "value", value: -300 } },
        { annotation: null },
        { annotation: null },
      ],
    });
    expect(
      problems(read({ taskType: "regression", images }, { "values.csv": "file,value\n1.jpg,2.5\n2.jpg,abc\n" })),
    ).toEqual(['values.csv line 3: 2.jpg: the value "abc" is not a number']);
    expect(
      problems(read({ taskType: "regression", images }, { "values.json": '[{"file": "1.jpg", "value": true}]' })),
    ).toEqual(["values.json ([0].value): 1.jpg: the value true is not a number"]);
  });

  it("says where a JSON list stops being JSON", () => {
    const [problem] = problems(
      read({ taskType: "regression", images }, { "values.json": '[\n{"file": "1.jpg",\n "value": }\n]' }),
    );
    expect(problem).toMatch(/^values\.json line 3: is not valid JSON/);
  });
});

describe("readDatasetLayout: detection", () => {
  const coco = (extra: object = {}) =>
    JSON.stringify({
      images: [
        { id: 1, file_name: "a.jpg", width: 100, height: 80 },
        { id: 2, file_name: "b.jpg", width: 100, height: 80 },
      ],
      annotations: [{ id: 1, image_id: 1, category_id: 3, bbox: [10, 20, 30.5, 40], iscrowd: 0, area: 1220 }],
      categories: [
        { id: 3, name: "cat" },
        { id: 4, name: "dog" },
      ],
      ...extra,
    });

  it("reads COCO bboxes [x, y, w, h] as [xmin, ymin, xmax, ymax], an image without annotations as no boxes", () => {
    const result = read(
      { taskType: "detection", images: [image("images/a.jpg"), image("images/b.jpg"), image("images/c.jpg")] },
      { "annotations.json": coco() },
    );
    expect(result).toEqual({
      ok: true,
      format: "coco",
      samples: [
        { path: "images/a.jpg", annotation: { kind: "boxes", boxes: [{ label: "cat", box: [10, 20, 40.5, 60] }] } },
        { path: "images/b.jpg", annotation: { kind: "boxes", boxes: [] } },
        { path: "images/c.jpg", annotation: null },
      ],
      labels: ["cat", "dog"],
      newLabels: ["cat", "dog"],
    });
  });

  it("refuses COCO annotations at missing images, unknown categories, bad bboxes and boxes outside the image", () => {
    const text = coco({
      images: [
        { id: 1, file_name: "a.jpg" },
        { id: 2, file_name: "gone.jpg" },
      ],
      annotations: [
        { image_id: 9, category_id: 3, bbox: [0, 0, 1, 1] },
        { image_id: 1, category_id: 7, bbox: [0, 0, 1, 1] },
        { image_id: 1, category_id: 3, bbox: [0, 0, 1] },
        { image_id: 1, category_id: 3, bbox: [50, 50, 60, 10] },
        { image_id: 1, category_id: 3, bbox: [10, 10, 0, 5] },
        { image_id: 1, category_id: 3, bbox: [-0.6, 0, 100.9, 80.4] },
      ],
    });
    expect(problems(read({ taskType: "detection", images: [image("a.jpg")] }, { "coco.json": text }))).toEqual([
      'coco.json (images[1].file_name): "gone.jpg" is not an image in the upload',
      'coco.json (annotations[0].image_id): the annotation points at image 9, which "images" does not list',
      "coco.json (annotations[1].category_id): unknown category_id 7 (categories: 3, 4)",
      "coco.json (annotations[2].bbox): the bbox must be [x, y, width, height] (4 numbers)",
      'coco.json (annotations[3].bbox): the box [50, 50, 110, 60] of "cat" lies outside the 100×80 image (by more than 1 px) (bbox [50,50,60,10])',
      'coco.json (annotations[4].bbox): the box [10, 10, 10, 15] of "cat" is empty: xmin must be below xmax and ymin below ymax (bbox [10,10,0,5])',
    ]);
  });

  it("clamps a box that sticks out by at most 1 px", () => {
    const text = coco({ annotations: [{ image_id: 1, category_id: 3, bbox: [-0.6, 0, 100.9, 80.4] }] });
    expect(read({ taskType: "detection", images: [image("a.jpg"), image("b.jpg")] }, { "c.json": text })).toMatchObject(
      {
        ok: true,
        samples: [{ annotation: { boxes: [{ label: "cat", box: [0, 0, 100, 80] }] } }, {}],
      },
    );
  });

  it("refuses COCO categories used by a task with other labels, but not unused ones", () => {
    const text = coco({ annotations: [{ image_id: 1, category_id: 4, bbox: [1, 1, 2, 2] }] });
    expect(
      problems(
        read(
          { taskType: "detection", labels: ["cat", "dig"], images: [image("a.jpg"), image("b.jpg")] },
          { "c.json": text },
        ),
      ),
    ).toEqual([
      'c.json (categories[1].name): label "dog" (1 time) is not a label of the task; the closest are "dig", "cat"',
    ]);
    const cats = coco({ annotations: [{ image_id: 1, category_id: 3, bbox: [1, 1, 2, 2] }] });
    expect(
      read({ taskType: "detection", labels: ["cat"], images: [image("a.jpg"), image("b.jpg")] }, { "c.json": cats }),
    ).toMatchObject({ ok: true, labels: ["cat"], newLabels: [] });
  });

  const voc = (filename: string, objects: string) =>
    `<annotation><folder>images</folder><filename>${filename}</filename><size><width>100</width><height>80</height></size>${objects}</annotation>`;
  const object = (name: string, [a, b, c, d]: readonly (number | string)[]) =>
    `<object><name>${name}</name><bndbox><xmin>${a}</xmin><ymin>${b}</ymin><xmax>${c}</xmax><ymax>${d}</ymax></bndbox></object>`;

  it("reads VOC XML by <filename>, else by the XML's base name, and an XML without objects as no boxes", () => {
    const result = read(
      { taskType: "detection", images: [image("images/a.jpg"), image("images/b.png"), image("images/c.jpg")] },
      {
        "annotations/a.xml": voc("a.jpg", object("cat", [1, 2, 30, 40]) + object("dog &amp; co", [5.5, 6, 7, 8])),
        "annotations/b.xml": voc("b.jpeg", ""),
      },
    );
    expect(result).toMatchObject({
      ok: true,
      format: "voc",
      samples: [
        {
          annotation: {
            kind: "boxes",
            boxes: [
              { label: "cat", box: [1, 2, 30, 40] },
              { label: "dog & co", box: [5.5, 6, 7, 8] },
            ],
          },
        },
        { annotation: { kind: "boxes", boxes: [] } },
        { annotation: null },
      ],
      newLabels: ["cat", "dog & co"],
    });
  });

  it("refuses VOC files that are not XML, name no image, or hold bad boxes", () => {
    const result = read(
      { taskType: "detection", images: [image("a.jpg")] },
      {
        "a.xml": voc(
          "a.jpg",
          object("cat", [1, 2, "x", 4]) + object("cat", [10, 10, 5, 20]) + object("cat", [0, 0, 150, 20]),
        ),
        "b.xml": voc("b.jpg", ""),
        "c.xml": "<annotation>\n<filename>a.jpg</filename>\n<object></annotation>",
      },
    );
    expect(problems(result)).toEqual([
      'a.xml (object[0].bndbox.xmax): <xmax> of "cat" is not a number ("x")',
      'a.xml (object[1].bndbox): the box [10, 10, 5, 20] of "cat" is empty: xmin must be below xmax and ymin below ymax',
      'a.xml (object[2].bndbox): the box [0, 0, 150, 20] of "cat" lies outside the 100×80 image (by more than 1 px)',
      'b.xml (filename): no image "b.jpg" (named by <filename>) is in the upload, nor image named b.* next to the XML',
      "c.xml line 3: is not valid XML: Expected closing tag 'object' (opened in line 3, col 1) instead of closing tag 'annotation'.",
    ]);
  });

  it("reads YOLO lines in fractions of the image with classes from classes.txt or data.yaml", () => {
    const images = [image("images/a.jpg", 200, 100), image("images/b.jpg"), image("images/c.jpg")];
    const labels = {
      "labels/a.txt": "1 0.5 0.5 0.5 0.2\n\n0 0.1 0.1 0.2 0.2\n",
      "labels/b.txt": "",
      "README.txt": "notes",
    };
    const expected = {
      ok: true,
      format: "yolo",
      samples: [
        {
          annotation: {
            kind: "boxes",
            boxes: [
              { label: "dog", box: [50, 40, 150, 60] },
              { label: "cat", box: [0, 0, 40, 20] },
            ],
          },
        },
        { annotation: { kind: "boxes", boxes: [] } },
        { annotation: null },
      ],
      labels: ["cat", "dog"],
    };
    expect(read({ taskType: "detection", images }, { ...labels, "classes.txt": "cat\ndog\n" })).toMatchObject(expected);
    expect(read({ taskType: "detection", images }, { ...labels, "data.yaml": "names: [cat, dog]\n" })).toMatchObject(
      expected,
    );
    expect(
      read({ taskType: "detection", images }, { ...labels, "data.yaml": "names:\n  0: cat\n  1: dog\n" }),
    ).toMatchObject(expected);
  });

  it("refuses YOLO lines with 4 numbers, unknown class ids, words, boxes outside, and label files without an image", () => {
    const result = read(
      { taskType: "detection", images: [image("images/img7.jpg")] },
      {
        "classes.txt": "cat\ndog\n",
        "labels/img7.txt": "0 0.5 0.5 0.2 0.2\n0 0.5 0.5 0.2\n2 0.5 0.5 0.1 0.1\n0 0.5 x 0.1 0.1\n0 0.9 0.5 0.4 0.1\n",
        "labels/img8.txt": "0 0.5 0.5 0.1 0.1\n",
      },
    );
    expect(problems(result)).toEqual([
      "labels/img7.txt line 2: a YOLO line has 5 numbers (class cx cy w h); this one has 4",
      "labels/img7.txt line 3: unknown class id 2 (classes.txt names 2 classes, ids 0 to 1)",
      'labels/img7.txt line 4: "x" is not a number (a YOLO line is class cx cy w h)',
      'labels/img7.txt line 5: the box [70, 36, 110, 44] of "cat" lies outside the 100×80 image (by more than 1 px)',
      "labels/img8.txt: no image named img8.* (jpg, png, …) is in the upload for this YOLO label file",
    ]);
  });

  it("asks for the YOLO classes, and refuses two layouts at once", () => {
    expect(
      problems(read({ taskType: "detection", images: [image("a.jpg")] }, { "a.txt": "0 0.5 0.5 0.1 0.1" })),
    ).toEqual([
      "add classes.txt (one class name per line, line 1 is class 0) or data.yaml (names: [a, b]) to name the YOLO classes",
    ]);
    expect(
      problems(read({ taskType: "detection", images: [image("a.jpg")] }, { "a.txt": "", "a.xml": "<annotation/>" })),
    ).toEqual([
      "the upload holds Pascal VOC .xml (a.xml) and YOLO .txt (a.txt) files; keep one layout or choose the format",
    ]);
  });

  it("refuses one image given different boxes by two files", () => {
    const result = read(
      { taskType: "detection", images: [image("a.jpg")] },
      {
        "one.xml": voc("a.jpg", object("cat", [1, 2, 3, 4])),
        "two.xml": voc("a.jpg", object("cat", [1, 2, 3, 5])),
      },
    );
    expect(problems(result)).toEqual([
      "two.xml: a.jpg is listed twice with different labels (also at one.xml); keep one",
    ]);
  });

  it("brings images without any manifest in unlabelled", () => {
    expect(read({ taskType: "detection", images: [image("a.jpg")] })).toMatchObject({
      ok: true,
      samples: [{ annotation: null }],
    });
  });
});
