import { strToU8, zipSync } from "fflate";
import { describe, expect, test } from "vitest";
import { batchProblem, chunksOf, collectImages, fieldSummary, toBase64, type ChosenFile } from "./batch-images";

function file(name: string, bytes: Uint8Array, type = ""): ChosenFile {
  return { name, type, arrayBuffer: () => Promise.resolve(bytes.slice().buffer) };
}

describe("collectImages", () => {
  test("takes images as they are and the image entries of a zip, in natural name order", async () => {
    const zip = zipSync({
      "photos/b10.jpg": strToU8("ten"),
      "photos/b2.png": strToU8("two"),
      "photos/readme.txt": strToU8("not an image"),
      "__MACOSX/photos/._b2.png": strToU8("resource fork"),
      "photos/.hidden.jpg": strToU8("hidden"),
    });
    const { images, skipped } = await collectImages([
      file("a.jpg", strToU8("a"), "image/jpeg"),
      file("set.zip", zip, "application/zip"),
      file("notes.pdf", strToU8("%PDF"), "application/pdf"),
    ]);
    expect(images.map((i) => i.name)).toEqual(["a.jpg", "set.zip/photos/b2.png", "set.zip/photos/b10.jpg"]);
    expect(new TextDecoder().decode(images[1]?.bytes)).toBe("two");
    expect(skipped).toEqual(["notes.pdf: not an image or a zip"]);
  });

  test("a zip that cannot be read, or holds no image, is named with the reason", async () => {
    const { images, skipped } = await collectImages([
      file("broken.zip", strToU8("PK not really")),
      file("empty.zip", zipSync({ "a.txt": strToU8("x") })),
    ]);
    expect(images).toEqual([]);
    expect(skipped[0]).toMatch(/^broken\.zip: not a readable zip/);
    expect(skipped[1]).toBe("empty.zip: no images inside");
  });
});

describe("batchProblem", () => {
  test("refuses no images and more than 100, naming the count", () => {
    expect(batchProblem(0)).toMatch(/Choose images/);
    expect(batchProblem(100)).toBeUndefined();
    expect(batchProblem(101)).toBe(
      "That is 101 images; a batch test runs at most 100. Choose fewer, or split them into several batches.",
    );
  });
});

describe("chunksOf", () => {
  test("bounds each call by image count and bytes; an image over the byte bound goes alone", () => {
    const of = (size: number) => ({ bytes: new Uint8Array(size) });
    const sizes = (chunks: { bytes: Uint8Array }[][]) => chunks.map((c) => c.map((i) => i.bytes.length));
    expect(sizes(chunksOf([of(1), of(1), of(1), of(1)], 3, 100))).toEqual([[1, 1, 1], [1]]);
    expect(sizes(chunksOf([of(60), of(60), of(200), of(10)], 5, 100))).toEqual([[60], [60], [200], [10]]);
  });
});

describe("toBase64", () => {
  test("encodes large arrays the way Node does", () => {
    const bytes = Uint8Array.from({ length: 100_000 }, (_, i) => (i * 7) % 256);
    expect(toBase64(bytes)).toBe(Buffer.from(bytes).toString("base64"));
  });
});

describe("fieldSummary", () => {
  test("reads a categorization, objects, numbers and other values briefly", () => {
    expect(fieldSummary({ best_label: { name: "tabby", prob: 0.912 }, labels: [] })).toBe("tabby (91%)");
    expect(fieldSummary([{ name: "dog" }, { name: "cat" }, { name: "dog" }, { name: "car" }])).toBe(
      "4: dog, cat, dog, …",
    );
    expect(fieldSummary([])).toBe("0 items");
    expect(fieldSummary(0.12345)).toBe("0.123");
    expect(fieldSummary({ text: "x".repeat(100) })).toHaveLength(58);
  });
});
