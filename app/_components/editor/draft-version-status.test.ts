import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";
import { draftVersionStatus } from "./draft-version-status";

const saved: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "in", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
    { id: "d", action: "core/detection@1", config: { task: "t" }, position: { x: 0, y: 100 } },
  ],
  edges: [{ id: "e", source: "in", sourceHandle: "next", target: "d" }],
};

describe("draftVersionStatus", () => {
  it("says the draft matches its version, or that only the layout moved", () => {
    expect(draftVersionStatus(structuredClone(saved), 3, saved)).toBe("Matches version 3");
    const moved = { ...saved, nodes: saved.nodes.map((n) => ({ ...n, position: { x: n.position.x + 5, y: 0 } })) };
    expect(draftVersionStatus(moved, 3, saved)).toBe("Matches version 3, nodes moved");
  });

  it("says there are unsaved changes when a setting or an edge differs", () => {
    const changed = { ...saved, nodes: saved.nodes.map((n) => (n.id === "d" ? { ...n, config: { task: "u" } } : n)) };
    expect(draftVersionStatus(changed, 3, saved)).toBe("Unsaved changes since version 3");
    expect(draftVersionStatus({ ...saved, edges: [] }, 3, saved)).toBe("Unsaved changes since version 3");
  });

  it("says a flow was never saved as a version", () => {
    expect(draftVersionStatus(saved, undefined, undefined)).toBe("Not saved as a version yet");
  });
});
