import type { NodeTrace } from "@vizflow/flow-engine";
import { describe, expect, test } from "vitest";
import { batchImageResult, nodeCosts } from "./test-batch";

function run(nodeId: string, timeMs: number, credits: number, error?: string): NodeTrace {
  return {
    nodeId,
    action: nodeId === "detect" ? "core/object-selector@1" : "core/recognition@1",
    scope: { kind: "record" },
    seen: {},
    written: {},
    handles: [],
    timeMs,
    credits,
    ...(error === undefined ? {} : { error }),
  };
}

describe("nodeCosts", () => {
  test("sums a node's runs over its scopes and keeps the first failure's message", () => {
    const trace = [
      run("detect", 12.34, 1),
      run("kind", 3, 1),
      run("kind", 4, 0, "the model could not run"),
      run("kind", 5, 1, "a second failure"),
    ];
    expect(nodeCosts(trace)).toEqual([
      { nodeId: "detect", action: "core/object-selector@1", runs: 1, timeMs: 12.3, credits: 1, failures: 0 },
      {
        nodeId: "kind",
        action: "core/recognition@1",
        runs: 3,
        timeMs: 12,
        credits: 2,
        failures: 2,
        error: "the model could not run",
      },
    ]);
  });
});

describe("batchImageResult", () => {
  test("an image that succeeded is billed its nodes' credits and keeps what was written", () => {
    const result = batchImageResult(
      { _status: { code: 200, text: "OK" }, _width: 8, _height: 6, kind: { best_label: { name: "red", prob: 1 } } },
      [run("kind", 2, 1)],
    );
    expect(result).toMatchObject({
      width: 8,
      height: 6,
      credits: 1,
      fields: { kind: { best_label: { name: "red" } } },
    });
    expect(result.fields).not.toHaveProperty("_status");
  });

  test("an image that failed is billed nothing, whatever its nodes ran before failing", () => {
    const result = batchImageResult({ _status: { code: 500, text: "node kind failed" } }, [
      run("detect", 2, 1),
      run("kind", 1, 0, "boom"),
    ]);
    expect(result.credits).toBe(0);
    expect(result.nodes.map((n) => n.credits)).toEqual([1, 0]);
  });
});
