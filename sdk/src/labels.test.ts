import { existsSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, test } from "vitest";
import {
  applyLabelRenames,
  fixRepeatedLabels,
  labelListDifferences,
  labelNames,
  parseLabelList,
  proposeLabelRenames,
  repeatedLabelsMessage,
  someLabels,
} from "./labels.js";

describe("parseLabelList", () => {
  test("one label per line, trimmed, blank lines skipped, commas kept", () => {
    const parsed = parseLabelList("\uFEFFred\r\n  green  \n\n\tblue\rmaillot, tank suit\n");
    expect(parsed.labels.map((l) => l.name)).toEqual(["red", "green", "blue", "maillot, tank suit"]);
    expect(parsed.labels.map((l) => l.line)).toEqual([1, 2, 4, 5]);
    expect(parsed.prefixed).toBe(0);
    expect(parsed.repeated).toEqual([]);
  });

  test("an id prefix is stripped and a synonym list keeps its first name", () => {
    const parsed = parseLabelList("n02123045 tabby, tabby cat\n12: stop sign\nn03710721\tmaillot, tank suit");
    expect(parsed.labels).toEqual([
      { name: "tabby", line: 1, id: "n02123045", synonyms: ["tabby cat"] },
      { name: "stop sign", line: 2, id: "12", synonyms: [] },
      { name: "maillot", line: 3, id: "n03710721", synonyms: ["tank suit"] },
    ]);
    expect(parsed.prefixed).toBe(3);
  });

  test("a bare number, a number with a space and a word that looks like an id are labels", () => {
    expect(labelNames("7\n3 wheeler\nn0212 short\nN02123045 upper")).toEqual([
      "7",
      "3 wheeler",
      "n0212 short",
      "N02123045 upper",
    ]);
  });

  test("repeats are reported with their lines, never merged", () => {
    const parsed = parseLabelList("cat\ndog\ncat\nbird\ndog\ncat");
    expect(parsed.labels).toHaveLength(6);
    expect(parsed.repeated).toEqual([
      { name: "cat", positions: [1, 3, 6] },
      { name: "dog", positions: [2, 5] },
    ]);
  });
});

describe("proposeLabelRenames", () => {
  test("numbers repeats, skipping names already used", () => {
    const renames = proposeLabelRenames(["cat", "cat (2)", "cat", "cat"]);
    expect(renames).toEqual([
      { position: 3, from: "cat", to: "cat (3)" },
      { position: 4, from: "cat", to: "cat (4)" },
    ]);
    const fixed = applyLabelRenames(["cat", "cat (2)", "cat", "cat"], renames);
    expect(new Set(fixed).size).toBe(4);
  });

  test("a repeat from a synonym list takes its first free synonym", () => {
    const parsed = parseLabelList("n1 x\nn03710637 maillot\nn03710721 maillot, tank suit\nn02012849 crane");
    expect(proposeLabelRenames(parsed.labels)).toEqual([{ position: 3, from: "maillot", to: "tank suit" }]);
  });

  test("labels the task already has count as taken", () => {
    expect(proposeLabelRenames(["crane", "heron"], ["crane", "crane (2)"])).toEqual([
      { position: 1, from: "crane", to: "crane (3)" },
    ]);
  });
});

describe("fixRepeatedLabels", () => {
  test("rewrites only the repeated lines, keeping their ids, so that the text parses without repeats", () => {
    const text = "cat\n\nn00000001 dog\n12: cat\nn00000002 dog, hound\nbird";
    const fixed = fixRepeatedLabels(text);
    expect(fixed).toBe("cat\n\nn00000001 dog\n12: cat (2)\nn00000002 hound\nbird");
    expect(labelNames(fixed)).toEqual(["cat", "dog", "cat (2)", "hound", "bird"]);
    expect(parseLabelList(fixed).repeated).toEqual([]);
    expect(fixRepeatedLabels("a\nb")).toBe("a\nb");
  });

  test("new labels that the task already has are renamed too", () => {
    expect(fixRepeatedLabels("crane\nstork", ["crane"])).toBe("crane (2)\nstork");
  });
});

describe("messages", () => {
  test("a refusal names the repeats, where they are and the fix", () => {
    expect(repeatedLabelsMessage(["crane", "heron", "crane"])).toBe(
      'The label "crane" (lines 1 and 3) appears more than once; each label must be unique, so rename the repeats, e.g. "crane (2)".',
    );
    expect(repeatedLabelsMessage(["a", "b", "a", "b"], { field: "Output classes", unit: "output" })).toBe(
      'Output classes name "a" (outputs 1 and 3) and "b" (outputs 2 and 4) more than once; each must be unique, so rename the repeats, e.g. "a (2)" and "b (2)".',
    );
    expect(repeatedLabelsMessage(["a", "b"])).toBeUndefined();
    // Empty output classes drop outputs; they are not labels and do not repeat.
    expect(repeatedLabelsMessage(["a", "", "b", ""])).toBeUndefined();
    expect(proposeLabelRenames(["", "a", ""])).toEqual([]);
  });

  test("differences between output classes and task labels", () => {
    expect(labelListDifferences(["cat", "", "dog", "n1 cow"], ["cat", "dog", "bird"])).toEqual({
      missing: ["bird"],
      extra: ["n1 cow"],
    });
    expect(someLabels(["a", "b", "c"], 2)).toBe('"a", "b" and 1 more');
    expect(someLabels(["a", "b"])).toBe('"a" and "b"');
  });
});

const synsetFile = fileURLToPath(new URL("../../../shared/models/labels/onnx_models_synset.txt", import.meta.url));
const hasSynset = existsSync(synsetFile);

describe.skipIf(!hasSynset)(
  hasSynset
    ? "ImageNet's synset file of ../shared/models"
    : `ImageNet's synset file (skipped: ${synsetFile} is absent; it comes with ../shared/models)`,
  () => {
    const text = hasSynset ? readFileSync(synsetFile, "utf8") : "";

    test("reads 1000 first names with their ids stripped, and reports crane and maillot", () => {
      const parsed = parseLabelList(text);
      expect(parsed.labels).toHaveLength(1000);
      expect(parsed.prefixed).toBe(1000);
      expect(parsed.labels[0]).toMatchObject({ name: "tench", id: "n01440764", line: 1 });
      expect(parsed.labels[281]?.name).toBe("tabby");
      expect(parsed.labels.every((l) => !/^n\d{8}/.test(l.name) && !l.name.includes(","))).toBe(true);
      expect(parsed.repeated).toEqual([
        { name: "crane", positions: [135, 518] },
        { name: "maillot", positions: [639, 640] },
      ]);
    });

    test("the proposed fix gives 1000 distinct labels in output order", () => {
      const parsed = parseLabelList(text);
      const renames = proposeLabelRenames(parsed.labels);
      expect(renames).toEqual([
        { position: 518, from: "crane", to: "crane (2)" },
        { position: 640, from: "maillot", to: "tank suit" },
      ]);
      const fixed = applyLabelRenames(
        parsed.labels.map((l) => l.name),
        renames,
      );
      expect(new Set(fixed).size).toBe(1000);
      expect(labelNames(fixRepeatedLabels(text))).toEqual(fixed);
      expect(fixed[134]).toBe("crane");
      expect(fixed[517]).toBe("crane (2)");
      expect(repeatedLabelsMessage(parsed.labels.map((l) => l.name))).toBe(
        'The labels "crane" (lines 135 and 518) and "maillot" (lines 639 and 640) appear more than once; each label must be unique, so rename the repeats, e.g. "crane (2)" and "maillot (2)".',
      );
    });
  },
);
