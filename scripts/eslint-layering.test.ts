import path from "node:path";
import { Linter } from "eslint";
import tseslint from "typescript-eslint";
import { describe, expect, it } from "vitest";
import layering, { mayImport, partOf } from "./eslint-layering.js";

const ROOT = path.resolve(import.meta.dirname, "..");

/** Lints one fixture file as if it lived at `file` (relative to the root), with the layering rule only. */
function lint(file: string, code: string): string[] {
  const linter = new Linter({ configType: "flat" });
  const messages = linter.verify(
    code,
    [
      {
        files: ["**/*.ts", "**/*.tsx"],
        languageOptions: { parser: tseslint.parser },
        plugins: { vizflow: layering },
        rules: { "vizflow/layering": "error" },
      },
    ],
    { filename: path.join(ROOT, file) },
  );
  return messages.map((m) => m.message);
}

describe("the layering lint rule", () => {
  it("fails an sdk file that imports the database package", () => {
    expect(lint("sdk/src/fixture.ts", 'import { createFlow } from "@vizflow/db";\n')).toEqual([
      "sdk may not import db (@vizflow/db): DESIGN.md's layout allows sdk to import nothing of ours.",
    ]);
  });

  it("fails a relative path that leaves the package, and a dynamic import", () => {
    const messages = lint(
      "db/src/fixture.ts",
      'import { x } from "../../flow-engine/src/index.js";\nconst y = await import("../../sdk/src/index.js");\n',
    );
    expect(messages).toHaveLength(2);
    expect(messages[0]).toMatch(/^db may not import flow-engine/);
    expect(messages[1]).toMatch(/^db may not import sdk/);
  });

  it("fails a plugin that imports the engine or another plugin, and passes its sdk import", () => {
    const messages = lint(
      "plugins/ocr/src/fixture.ts",
      [
        'import { defineAction } from "@vizflow/sdk";',
        'import { FlowEngine } from "@vizflow/flow-engine";',
        'export { default } from "@vizflow/plugin-core";',
      ].join("\n"),
    );
    expect(messages).toEqual([
      "plugins/ocr may not import flow-engine (@vizflow/flow-engine): DESIGN.md's layout allows plugins/ocr to import sdk.",
      "plugins/ocr may not import plugins/core (@vizflow/plugin-core): DESIGN.md's layout allows plugins/ocr to import sdk.",
    ]);
  });

  it("fails the engine importing the app, and the app importing a plugin outside its tests", () => {
    expect(lint("flow-engine/src/fixture.ts", 'import { x } from "../../app/_server/engine.js";\n')).toHaveLength(1);
    expect(lint("app/_components/fixture.tsx", 'import core from "@vizflow/plugin-core";\n')).toHaveLength(1);
    expect(lint("app/_components/fixture.test.ts", 'import core from "@vizflow/plugin-core";\n')).toEqual([]);
  });

  it("passes what the table allows", () => {
    expect(
      lint("app/_server/fixture.ts", 'import { a } from "@vizflow/flow-engine";\nimport { b } from "../x";\n'),
    ).toEqual([]);
    expect(
      lint("flow-engine/src/fixture.ts", 'import { a } from "@vizflow/db";\nimport b from "@vizflow/plugin-core";\n'),
    ).toEqual([]);
    expect(lint("e2e/fixture.ts", 'import { a } from "../flow-engine/src/testing/images";\n')).toEqual([]);
    expect(lint("sdk/src/fixture.ts", 'import { a } from "./other.js";\nimport Ajv from "ajv";\n')).toEqual([]);
  });

  it("names parts by their folder, each plugin its own", () => {
    expect(partOf("plugins/faces/src/index.ts")).toBe("plugins/faces");
    expect(partOf("flow-engine/src/engine.ts")).toBe("flow-engine");
    expect(partOf("next.config.js")).toBeUndefined();
    expect(mayImport("server", "app", false)).toBe(true);
    expect(mayImport("app", "server", false)).toBe(false);
  });
});
