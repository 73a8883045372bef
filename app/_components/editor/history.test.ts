import { describe, expect, it } from "vitest";
import { History } from "./history";

describe("History", () => {
  it("undoes and redoes steps in order", () => {
    const history = new History("a");
    history.push("b");
    history.push("c");
    expect(history.undo()).toBe("b");
    expect(history.undo()).toBe("a");
    expect(history.undo()).toBeUndefined();
    expect(history.canUndo).toBe(false);
    expect(history.redo()).toBe("b");
    expect(history.redo()).toBe("c");
    expect(history.redo()).toBeUndefined();
    expect(history.present).toBe("c");
  });

  it("drops the redo stack when a new edit follows an undo", () => {
    const history = new History(1);
    history.push(2);
    history.push(3);
    history.undo();
    history.push(4);
    expect(history.canRedo).toBe(false);
    expect(history.undo()).toBe(2);
  });

  it("does not record a state equal to the present one", () => {
    const history = new History({ n: 1 });
    history.push({ n: 1 }, (a, b) => a.n === b.n);
    expect(history.canUndo).toBe(false);
  });

  it("keeps at most `limit` steps, forgetting the oldest", () => {
    const history = new History(0, 2);
    history.push(1);
    history.push(2);
    history.push(3);
    expect(history.undo()).toBe(2);
    expect(history.undo()).toBe(1);
    expect(history.undo()).toBeUndefined();
  });

  it("amend changes the present without adding a step", () => {
    const history = new History("a");
    history.push("b");
    history.amend("bc");
    expect(history.present).toBe("bc");
    expect(history.undo()).toBe("a");
    expect(history.redo()).toBe("bc");
  });

  it("reset forgets both stacks", () => {
    const history = new History("a");
    history.push("b");
    history.undo();
    history.reset("z");
    expect(history.present).toBe("z");
    expect(history.canUndo || history.canRedo).toBe(false);
  });
});
