import { execFileSync } from "node:child_process";
import {
  existsSync,
  lstatSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath } from "node:url";

import sharp from "sharp";
import { afterAll, describe, expect, it } from "vitest";

import { installedTestFont, NO_TEST_FONT } from "../testing/fonts.js";

const FONT = installedTestFont();
if (!FONT) console.warn(NO_TEST_FONT);

// A third-party plugin as its users get it: `pnpm pack` builds and packs @vizflow/plugin-privacy-blur,
// `npm install <tarball>` puts a copy of it into a fresh project next to the engine (the workspace's
// engine and SDK linked in, as if installed from a registry), vizflow.config.json enables it, and a flow
// that uses it runs in that project's own Node process.

const REPO = resolve(dirname(fileURLToPath(import.meta.url)), "../../..");
const PLUGIN = join(REPO, "plugins/privacy-blur");
const TSX = join(REPO, "node_modules/.bin/tsx");
const work = mkdtempSync(join(tmpdir(), "vizflow-packed-plugin-"));

afterAll(() => {
  rmSync(work, { recursive: true, force: true });
  // `pnpm pack` built dist/ in the plugin's folder; the repository keeps sources only.
  rmSync(join(PLUGIN, "dist"), { recursive: true, force: true });
});

const RUN_FLOW = `
import { readFileSync } from "node:fs";
import { FlowEngine, InMemoryModelStore, ModelRuntime, loadPlugins, onnxImageRuntime } from "@vizflow/flow-engine";

const { registry, plugins } = await loadPlugins();
const models = new ModelRuntime({ store: new InMemoryModelStore([]) });
const engine = new FlowEngine({ registry, runtime: onnxImageRuntime({ models }) });
const workspace = {
  id: "packed",
  flows: { flowVersion: async () => undefined, deployedVersion: async () => undefined },
  tasks: { task: async () => undefined },
  catalog: async () => ({ tasks: new Map(), flows: new Map() }),
};
const node = (id, action, config, y) => ({ id, action, config, position: { x: 0, y } });
const graph = {
  schema: 1,
  nodes: [
    node("in", "core/input@1", {}, 0),
    node("ocr", "core/service@1", { action: "ocr/read-text@1", config: {} }, 100),
    node("hide", "privacy/blur@1", { labels: ["text"], method: "fill", padding: 0 }, 200),
  ],
  edges: [
    { id: "e1", source: "in", sourceHandle: "next", target: "ocr" },
    { id: "e2", source: "ocr", sourceHandle: "next", target: "hide" },
  ],
};
const image = readFileSync("note.png").toString("base64");
const result = await engine.run(workspace, { graph }, [{ _id: "note", _base64: image }]);
await models.close();
console.log(JSON.stringify({ plugins, result }));
`;

describe("a packed third-party plugin installed into a fresh project", () => {
  it.skipIf(!FONT)(
    "installs from its tarball, loads by configuration with its package version, and hides text in a flow",
    async () => {
      execFileSync("pnpm", ["pack", "--pack-destination", work], { cwd: PLUGIN, stdio: "pipe", timeout: 120_000 });
      const tarball = readdirSync(work).find((f) => f.endsWith(".tgz"));
      expect(tarball).toBe("vizflow-plugin-privacy-blur-1.0.0.tgz");

      const project = join(work, "host");
      mkdirSync(join(project, "node_modules/@vizflow"), { recursive: true });
      writeFileSync(join(project, "package.json"), JSON.stringify({ name: "host", private: true, type: "module" }));
      execFileSync(
        "npm",
        [
          "install",
          join(work, tarball ?? ""),
          "--offline",
          "--no-audit",
          "--no-fund",
          "--legacy-peer-deps",
          "--no-save",
        ],
        { cwd: project, stdio: "pipe", timeout: 120_000 },
      );
      // The engine and SDK are not on a registry: link the workspace's, as an installed engine would be
      // (after npm install, which prunes what package.json does not list).
      symlinkSync(join(REPO, "flow-engine"), join(project, "node_modules/@vizflow/flow-engine"));
      symlinkSync(join(REPO, "sdk"), join(project, "node_modules/@vizflow/sdk"));
      const installed = join(project, "node_modules/@vizflow/plugin-privacy-blur");
      expect(lstatSync(installed).isSymbolicLink()).toBe(false);
      expect(existsSync(join(installed, "dist/index.js"))).toBe(true);
      expect(existsSync(join(installed, "src"))).toBe(false);

      writeFileSync(
        join(project, "vizflow.config.json"),
        JSON.stringify({ plugins: ["@vizflow/plugin-privacy-blur"] }),
      );
      const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="480" height="120">
      <rect width="100%" height="100%" fill="white"/>
      <text x="30" y="75" font-family="${FONT ?? ""}" font-size="40">Jane Doe 555</text></svg>`;
      await sharp(Buffer.from(svg)).png().toFile(join(project, "note.png"));
      writeFileSync(join(project, "run-flow.mjs"), RUN_FLOW);
      const stdout = execFileSync(TSX, ["run-flow.mjs"], {
        cwd: project,
        encoding: "utf8",
        timeout: 120_000,
        env: { ...process.env, VIZFLOW_PLUGINS: "", VIZFLOW_CONFIG: "" },
      });
      const { plugins, result } = JSON.parse(stdout.trim().split("\n").at(-1) ?? "{}") as {
        plugins: { name: string; packageName: string; version: string; builtin: boolean; from: string }[];
        result: { records: Record<string, unknown>[]; statistics: { credits: number } };
      };
      expect(plugins.find((p) => p.name === "privacy")).toMatchObject({
        packageName: "@vizflow/plugin-privacy-blur",
        version: "1.0.0",
        builtin: false,
        from: join(project, "vizflow.config.json"),
      });
      const [record] = result.records;
      expect(record?._status).toEqual({ code: 200, text: "OK" });
      expect(record?.text).toBe("Jane Doe 555");
      const redacted = record?.redacted as { base64: string; hidden: number; width: number };
      expect(redacted).toMatchObject({ hidden: 1, width: 480 });
      expect(result.statistics.credits).toBe(2 + 1);

      // The text's box is black in the returned image: the name is gone.
      const [line] = record?._objects as { bound_box: [number, number, number, number] }[];
      const [x0, y0, x1, y1] = (line?.bound_box ?? [0, 0, 0, 0]).map(Math.round);
      const png = Buffer.from(redacted.base64, "base64");
      const region = await sharp(png)
        .extract({
          left: (x0 ?? 0) + 1,
          top: (y0 ?? 0) + 1,
          width: (x1 ?? 0) - (x0 ?? 0) - 2,
          height: (y1 ?? 0) - (y0 ?? 0) - 2,
        })
        .raw()
        .toBuffer();
      expect(region.length).toBeGreaterThan(1000);
      expect(Math.max(...region)).toBe(0);
      const whole = await sharp(png).stats();
      expect(whole.channels[0]?.max).toBe(255);
    },
    240_000,
  );
});
