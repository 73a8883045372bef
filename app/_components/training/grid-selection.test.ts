import { describe, expect, it } from "vitest";
import { chooseAll, clickImage, NO_SELECTION, withoutImages } from "./grid-selection";

const order = ["a", "b", "c", "d", "e"];
const ids = (s: { ids: ReadonlySet<string> }) => [...s.ids].sort();

describe("grid selection", () => {
  it("a click toggles one image and makes it the anchor", () => {
    const one = clickImage(NO_SELECTION, order, "b", { shift: false });
    expect(ids(one)).toEqual(["b"]);
    expect(one.anchor).toBe("b");
    const none = clickImage(one, order, "b", { shift: false });
    expect(ids(none)).toEqual([]);
  });

  it("a shift-click chooses the range from the anchor, forwards and backwards", () => {
    const start = clickImage(NO_SELECTION, order, "b", { shift: false });
    expect(ids(clickImage(start, order, "d", { shift: true }))).toEqual(["b", "c", "d"]);
    const back = clickImage(NO_SELECTION, order, "d", { shift: false });
    expect(ids(clickImage(back, order, "a", { shift: true }))).toEqual(["a", "b", "c", "d"]);
  });

  it("a shift-click adds the range to what was chosen before and keeps it", () => {
    let s = clickImage(NO_SELECTION, order, "a", { shift: false });
    s = clickImage(s, order, "c", { shift: false });
    s = clickImage(s, order, "e", { shift: true });
    expect(ids(s)).toEqual(["a", "c", "d", "e"]);
  });

  it("a shift-click without an anchor on the page toggles the one image", () => {
    const elsewhere = { ids: new Set(["x"]), anchor: "x" };
    expect(ids(clickImage(elsewhere, order, "c", { shift: true }))).toEqual(["c", "x"]);
    expect(ids(clickImage(NO_SELECTION, order, "c", { shift: true }))).toEqual(["c"]);
  });

  it("choosing all adds without duplicates; gone images leave, the anchor with them", () => {
    const s = chooseAll(clickImage(NO_SELECTION, order, "a", { shift: false }), order);
    expect(ids(s)).toEqual(order);
    const after = withoutImages(s, ["a", "b"]);
    expect(ids(after)).toEqual(["c", "d", "e"]);
    expect(after.anchor).toBeNull();
  });
});
