import { describe, expect, test } from "vitest";
import { FLOW_EXPORT_FORMAT, parseFlowExport, type FlowExport } from "./document";

const valid: FlowExport = {
  format: FLOW_EXPORT_FORMAT,
  formatVersion: 1,
  exportedAt: "2026-12-07T14:00:00.000Z",
  flow: { name: "Sorter", version: 2, message: "" },
  graph: {
    schema: 1,
    nodes: [{ id: "input", action: "core/input@1", config: {}, position: { x: 0, y: 0 } }],
    edges: [],
  },
  tasks: [{ ref: "t1", name: "Colours", type: "categorization", labels: ["red"] }],
  flows: [],
};

function problemsOf(value: unknown): string[] {
  const parsed = parseFlowExport(value);
  return parsed.ok ? [] : parsed.problems;
}

describe("parseFlowExport", () => {
  test("a file as exported reads back as the same document", () => {
    expect(parseFlowExport(JSON.parse(JSON.stringify(valid)))).toEqual({ ok: true, document: valid });
  });

  test("each problem names its field, from the top of the file", () => {
    const problems = problemsOf({
      ...valid,
      flow: { name: "", version: 0 },
      tasks: [{ ref: "t1", name: "Colours", type: "segmentation", labels: "red" }],
      graph: { schema: 1, nodes: [{ id: "input", config: {}, position: { x: 0 } }], edges: [] },
    });
    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('"flow/name" must NOT have fewer than 1 characters'),
        expect.stringContaining('"flow/version" must be >= 1'),
        expect.stringContaining('"tasks/0/type" must be one of "categorization", "tagging", "regression", "detection"'),
        expect.stringContaining('"tasks/0/labels" must be array'),
        expect.stringContaining('"graph/nodes/0/action" is required'),
        expect.stringContaining('"graph/nodes/0/position/y" is required'),
      ]),
    );
  });

  test("another format, a newer format version, a field the format lacks, a repeated ref", () => {
    expect(problemsOf([valid])).toEqual(["The file must hold a JSON object (a Vizflow flow export)."]);
    expect(problemsOf({ ...valid, format: undefined })[0]).toMatch(/its "format" is missing/);
    expect(problemsOf({ ...valid, formatVersion: 2 })[0]).toMatch(/"formatVersion" 2, from a newer Vizflow/);
    expect(problemsOf({ ...valid, extra: 1 })).toEqual(['"extra" is not an allowed property.']);
    expect(problemsOf({ ...valid, flows: [{ ref: "t1", name: "Also t1" }] })[0]).toMatch(/lists "t1" twice/);
  });
});
