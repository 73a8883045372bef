import { describe, expect, it } from "vitest";

import { defineAction } from "./action.js";
import { migrateConfig } from "./migrate.js";
import { testCore } from "./test-fixtures.js";

const classify = testCore.actions.find((a) => a.id === "classify")!;

const threeMajors = defineAction({
  id: "resize",
  version: 3,
  title: "Resize",
  description: "",
  category: "Test",
  config: { type: "object" },
  handles: [],
  writes: { type: "object" },
  migrations: [
    { from: 2, migrate: (c) => ({ ...c, size: [c.width, c.width] }) },
    { from: 1, migrate: ({ w, ...c }) => ({ ...c, width: w }) },
  ],
  run: () => Promise.resolve({}),
});

describe("migrateConfig", () => {
  it("applies one step", () => {
    expect(migrateConfig(classify, 1, { model: "cats", output: "kind" })).toEqual({
      ok: true,
      config: { task: "cats", output: "kind" },
    });
  });

  it("chains steps in major order, whatever order they are declared in", () => {
    expect(migrateConfig(threeMajors, 1, { w: 4 })).toEqual({ ok: true, config: { width: 4, size: [4, 4] } });
    expect(migrateConfig(threeMajors, 3, { size: [1, 1] })).toEqual({ ok: true, config: { size: [1, 1] } });
  });

  it("never mutates the caller's config", () => {
    const mutating = {
      ...threeMajors,
      migrations: [{ from: 2, migrate: (c: Record<string, unknown>) => ((c.x = 1), c) }],
    };
    const config = { width: 2 };
    migrateConfig(mutating, 2, config);
    expect(config).toEqual({ width: 2 });
  });

  it("fails with a message when a step is missing, the major is ahead, or a step throws", () => {
    const gap = { ...threeMajors, migrations: threeMajors.migrations!.slice(0, 1) };
    expect(migrateConfig(gap, 1, {})).toEqual({
      ok: false,
      message: expect.stringMatching(/no migration from version 1 to 2/),
    });
    expect(migrateConfig(threeMajors, 4, {})).toEqual({
      ok: false,
      message: expect.stringMatching(/it is at version 3/),
    });
    const throwing = {
      ...threeMajors,
      migrations: [
        {
          from: 2,
          migrate: () => {
            throw new Error("width missing");
          },
        },
      ],
    };
    expect(migrateConfig(throwing, 2, {})).toEqual({
      ok: false,
      message: expect.stringMatching(/from version 2 to 3 failed: width missing/),
    });
  });
});
