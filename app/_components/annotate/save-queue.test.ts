import { describe, expect, it } from "vitest";
import {
  EMPTY_QUEUE,
  enqueued,
  failed,
  nextOp,
  pendingEdits,
  queueStatus,
  retried,
  started,
  succeeded,
  type SaveOp,
} from "./save-queue";

const box = (x: number) => ({ kind: "boxes" as const, boxes: [{ label: "cat", box: [x, 0, x + 10, 10] as const }] });
const save = (imageId: string, x: number): Extract<SaveOp, { kind: "save" }> => ({
  kind: "save",
  imageId,
  annotation: { kind: "boxes", boxes: box(x).boxes.map((b) => ({ label: b.label, box: [...b.box] })) },
});

describe("save queue", () => {
  it("keeps only the newest of two waiting saves of one image", () => {
    const q = enqueued(enqueued(EMPTY_QUEUE, save("a", 1)), save("a", 2));
    expect(q.ops).toEqual([save("a", 2)]);
  });

  it("does not replace the save already in flight: the newer one goes after it", () => {
    const q = enqueued(started(enqueued(EMPTY_QUEUE, save("a", 1))), save("a", 2));
    expect(q.ops).toEqual([save("a", 1), save("a", 2)]);
    expect(nextOp(q)).toBeUndefined();
    expect(nextOp(succeeded(q))).toEqual(save("a", 2));
  });

  it("keeps a confirmation after the edit it confirms, and a later edit after the confirmation", () => {
    let q = enqueued(EMPTY_QUEUE, save("a", 1));
    q = enqueued(q, { kind: "confirm", imageId: "a" });
    q = enqueued(q, save("a", 2));
    expect(q.ops.map((o) => o.kind)).toEqual(["save", "confirm", "save"]);
  });

  it("keeps saves of different images apart, in order", () => {
    const q = enqueued(enqueued(EMPTY_QUEUE, save("a", 1)), save("b", 1));
    expect(q.ops.map((o) => o.imageId)).toEqual(["a", "b"]);
  });

  it("holds a failed write at the head with its message until retried, losing nothing behind it", () => {
    let q = started(enqueued(EMPTY_QUEUE, save("a", 1)));
    q = enqueued(q, save("b", 1));
    q = failed(q, "The server is down.");
    expect(nextOp(q)).toBeUndefined();
    expect(queueStatus(q)).toEqual({ tone: "error", text: "Not saved: The server is down." });
    expect(pendingEdits(q).get("a")).toEqual({ annotation: save("a", 1).annotation });
    q = retried(q);
    expect(nextOp(q)).toEqual(save("a", 1));
    expect(q.ops).toHaveLength(2);
  });

  it("shows each image's last waiting annotation, and none after a rejection", () => {
    let q = enqueued(EMPTY_QUEUE, save("a", 1));
    q = enqueued(q, { kind: "reject", imageId: "b" });
    q = enqueued(q, { kind: "confirm", imageId: "c" });
    const edits = pendingEdits(q);
    expect(edits.get("a")?.annotation).toEqual(save("a", 1).annotation);
    expect(edits.get("b")).toEqual({ annotation: null });
    expect(edits.has("c")).toBe(false);
  });

  it("says saving while writes wait and saved once none do", () => {
    const q = enqueued(enqueued(EMPTY_QUEUE, save("a", 1)), save("b", 1));
    expect(queueStatus(q).text).toBe("Saving… (2 changes)");
    expect(queueStatus(succeeded(succeeded(q)))).toEqual({ tone: "idle", text: "All changes saved" });
  });
});
