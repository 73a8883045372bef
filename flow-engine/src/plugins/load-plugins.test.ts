import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

import { afterEach, beforeEach, describe, expect, it } from "vitest";

import { disabledPluginLine, loadPlugins } from "./load-plugins.js";
import { PluginConfigError } from "./plugin-config.js";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "vizflow-plugins-"));
});
afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

const ACTION = `{
  id: "shout", version: 1, title: "Shout", description: "Writes a greeting.", category: "Services",
  config: { type: "object" }, handles: [{ id: "next" }],
  writes: { type: "object", properties: { greeting: { type: "string" } } }, credits: 1, service: true,
  run: async () => ({ write: { greeting: "hi" } }),
}`;

interface FakePlugin {
  packageJson?: Record<string, unknown>;
  /** Source of the entry module; omitted writes no entry file. */
  entry?: string;
}

/** Writes a plugin folder under the temp root (`node_modules/<name>` for package-style names). */
function writePlugin(folder: string, plugin: FakePlugin): string {
  const dir = join(root, folder);
  mkdirSync(dir, { recursive: true });
  const packageJson = plugin.packageJson ?? {
    name: folder,
    version: "1.2.3",
    type: "module",
    vizflow: { plugin: "./index.mjs", engine: "^1" },
  };
  writeFileSync(join(dir, "package.json"), JSON.stringify(packageJson));
  if (plugin.entry !== undefined) writeFileSync(join(dir, "index.mjs"), plugin.entry);
  return dir;
}

const validEntry = (name: string, action = ACTION) =>
  `export default { name: ${JSON.stringify(name)}, title: "Greeter", actions: [${action}] };`;

function config(plugins: string[], extra: Record<string, unknown> = {}) {
  writeFileSync(join(root, "vizflow.config.json"), JSON.stringify({ plugins, ...extra }));
}

/** The disabled plugins of a load, one `plugin <as configured>: <reason>` line each; the built-ins still load. */
async function refusal(env: Record<string, string> = {}): Promise<string> {
  const { disabled, registry } = await loadPlugins({ root, env });
  expect(disabled.length).toBeGreaterThan(0);
  expect(registry.get("core/input@1")).toBeDefined();
  return disabled.map((d) => `plugin ${d.plugin}: ${d.reason}`).join("\n");
}

describe("loadPlugins", () => {
  it("loads the built-in core plugin with no configuration at all", async () => {
    const { registry, plugins } = await loadPlugins({ root, env: {} });
    expect(plugins.find((p) => p.name === "core")).toMatchObject({
      packageName: "@vizflow/plugin-core",
      builtin: true,
    });
    expect(registry.get("core/input@1")).toBeDefined();
    expect(registry.get("quality/measure@1")?.definition.service).toBe(true);
    expect(registry.get("colors/dominant@1")?.definition.service).toBe(true);
    expect(registry.get("ocr/read-text@1")?.definition.service).toBe(true);
    expect(registry.get("faces/detect@1")?.definition.service).toBe(true);
    expect(registry.get("faces/expression@1")?.definition.service).toBe(true);
  });

  it("leaves the built-in services out when the config says so, but never core", async () => {
    config([], { builtinServices: false });
    const { plugins } = await loadPlugins({ root, env: {} });
    expect(plugins.map((p) => p.name)).toEqual(["core"]);
  });

  it("enables a folder from vizflow.config.json and a package from VIZFLOW_PLUGINS", async () => {
    writePlugin("local-greeter", { entry: validEntry("greeter") });
    writePlugin("node_modules/@acme/vizflow-echo", {
      packageJson: {
        name: "@acme/vizflow-echo",
        version: "2.0.1",
        type: "module",
        vizflow: { plugin: "./index.mjs", engine: ">=1.0.0 <2" },
      },
      entry: validEntry("echo"),
    });
    config(["./local-greeter"]);
    const { registry, plugins } = await loadPlugins({ root, env: { VIZFLOW_PLUGINS: " @acme/vizflow-echo , " } });
    expect(registry.get("greeter/shout@1")?.definition.service).toBe(true);
    expect(registry.get("echo/shout@1")).toBeDefined();
    expect(plugins.filter((p) => !p.builtin).map((p) => [p.name, p.packageName, p.version])).toEqual([
      ["greeter", "local-greeter", "1.2.3"],
      ["echo", "@acme/vizflow-echo", "2.0.1"],
    ]);
    expect(registry.describe().some((p) => p.name === "echo")).toBe(true);
  });

  it("loads a plugin enabled both in the file and the variable once", async () => {
    writePlugin("local-greeter", { entry: validEntry("greeter") });
    config(["./local-greeter"]);
    const { plugins } = await loadPlugins({ root, env: { VIZFLOW_PLUGINS: "./local-greeter" } });
    expect(plugins.filter((p) => p.name === "greeter")).toHaveLength(1);
  });

  it("refuses a package that is not installed", async () => {
    config(["vizflow-plugin-missing"]);
    expect(await refusal()).toMatch(
      /plugin "vizflow-plugin-missing" .*package "vizflow-plugin-missing" is not installed/,
    );
  });

  it("refuses a package without the vizflow key", async () => {
    writePlugin("node_modules/left-pad", { packageJson: { name: "left-pad", version: "1.0.0" } });
    expect(await refusal({ VIZFLOW_PLUGINS: "left-pad" })).toMatch(
      /plugin "left-pad" \(enabled in VIZFLOW_PLUGINS\): it is not a Vizflow plugin: .*has no "vizflow"/,
    );
  });

  it("refuses a plugin whose entry file is missing", async () => {
    writePlugin("unbuilt", {
      packageJson: { name: "unbuilt", vizflow: { plugin: "./dist/index.js", engine: "^1" } },
    });
    config(["./unbuilt"]);
    expect(await refusal()).toMatch(/plugin "\.\/unbuilt" .*its entry file \.\/dist\/index\.js does not exist/);
  });

  it("refuses a plugin made for another engine major", async () => {
    writePlugin("future", {
      packageJson: { name: "future", type: "module", vizflow: { plugin: "./index.mjs", engine: "^2" } },
      entry: validEntry("future"),
    });
    config(["./future"]);
    expect(await refusal()).toMatch(/plugin "\.\/future" .*requires engine \^2, but this is engine 1\.0\.0/);
  });

  it("refuses an engine range that is not semver", async () => {
    writePlugin("sloppy", {
      packageJson: { name: "sloppy", type: "module", vizflow: { plugin: "./index.mjs", engine: "one" } },
      entry: validEntry("sloppy"),
    });
    config(["./sloppy"]);
    expect(await refusal()).toMatch(/"vizflow\.engine" .* must be a semver range such as "\^1", got "one"/);
  });

  it("refuses an invalid plugin definition, naming each wrong field", async () => {
    const broken = `{ id: "Shout_Loud", version: 0, title: "", description: "d", category: "c",
      config: "none", handles: [{}], writes: { type: "object" }, objectFields: [], credits: -1 }`;
    writePlugin("broken", { entry: validEntry("Broken Name", broken) });
    config(["./broken"]);
    const message = await refusal();
    expect(message).toContain('plugin "./broken"');
    expect(message).toContain('invalid plugin definition: name: "Broken Name" is not a valid plugin name');
    expect(message).toContain('actions[0].id: "Shout_Loud" is not a valid action id');
    expect(message).toContain('actions[0].version (action "Shout_Loud@0"): 0 must be a major version');
    expect(message).toContain('actions[0].title (action "Shout_Loud@0"): must be a non-empty string');
    expect(message).toContain(
      'actions[0].config (action "Shout_Loud@0"): must be a JSON Schema object with type "object"',
    );
    expect(message).toContain('actions[0].handles[0].id (action "Shout_Loud@0"): must be a non-empty string');
    expect(message).toContain('actions[0].objectFields (action "Shout_Loud@0"): must be a JSON Schema object');
    expect(message).toContain('actions[0].credits (action "Shout_Loud@0"): -1 must be a number >= 0');
    expect(message).toContain('actions[0].run (action "Shout_Loud@0"): must be a function');
  });

  it("refuses an entry that does not default-export a plugin, and one that throws", async () => {
    writePlugin("named-only", { entry: "export const plugin = {};" });
    writePlugin("throws", { entry: 'throw new Error("no GPU found");' });
    config(["./named-only", "./throws"]);
    const message = await refusal();
    expect(message.split("\n")).toHaveLength(2);
    expect(message).toMatch(
      /plugin "\.\/named-only" .*must default-export definePlugin\(\{\.\.\.\}\), but exported undefined/,
    );
    expect(message).toMatch(/plugin "\.\/throws" .*its entry \.\/index\.mjs failed to load: no GPU found/);
  });

  it("refuses duplicate action ids: two plugins with the same name, or one action twice", async () => {
    writePlugin("greeter-a", { entry: validEntry("greeter") });
    writePlugin("greeter-b", { entry: validEntry("greeter") });
    writePlugin("twice", { entry: `export default { name: "twice", title: "T", actions: [${ACTION}, ${ACTION}] };` });
    writePlugin("core-clone", { entry: validEntry("core") });
    config(["./greeter-a", "./greeter-b", "./twice", "./core-clone"]);
    const message = await refusal();
    expect(message).toMatch(/plugin "\.\/greeter-b" .*its name "greeter" is already used by plugin "\.\/greeter-a"/);
    expect(message).toMatch(
      /plugin "\.\/twice" .*actions\[1\]: action "shout@1" is defined twice in this plugin \(also actions\[0\]\)/,
    );
    expect(message).toMatch(/plugin "\.\/core-clone" .*name: "core" is taken by a plugin built into Vizflow/);
  });

  it("refuses a decoder id the engine or another plugin already registers", async () => {
    const decoder = (id: string) =>
      `{ id: "${id}", title: "D", params: { type: "object" }, taskTypes: ["detection"], decode: () => ({ type: "detection", result: [] }) }`;
    const withDecoder = (name: string, id: string) =>
      `export default { name: "${name}", title: "T", actions: [${ACTION}], decoders: [${decoder(id)}] };`;
    writePlugin("yolo-a", { entry: withDecoder("yolo-a", "yolov8") });
    writePlugin("yolo-b", { entry: withDecoder("yolo-b", "yolov8") });
    writePlugin("softer", { entry: withDecoder("softer", "softmax") });
    config(["./yolo-a", "./yolo-b", "./softer"]);
    const message = await refusal();
    expect(message).toMatch(/plugin "\.\/yolo-b" .*its decoder "yolov8" is already provided by plugin "\.\/yolo-a"/);
    expect(message).toMatch(
      /plugin "\.\/softer" .*decoders\[0\]\.id: "softmax" is taken by a decoder built into the engine/,
    );
  });

  it("disables a refused plugin with its reason and loads the good one beside it", async () => {
    writePlugin("good", { entry: validEntry("good") });
    writePlugin("throws", { entry: 'throw new Error("no GPU found");' });
    writePlugin("future", {
      packageJson: { name: "future", type: "module", vizflow: { plugin: "./index.mjs", engine: "^2" } },
      entry: `export default { name: "future", title: "F", actions: [${ACTION}],
        decoders: [{ id: "future-boxes", title: "D", params: { type: "object" }, taskTypes: ["detection"], decode: () => ({}) }] };`,
    });
    config(["./throws", "./good", "./future"]);
    const { registry, plugins, disabled, definitions } = await loadPlugins({ root, env: {} });
    const from = `enabled in ${join(root, "vizflow.config.json")}`;
    expect(registry.get("good/shout@1")).toBeDefined();
    expect(plugins.map((p) => p.name)).toContain("good");
    expect(plugins.map((p) => p.name)).not.toContain("future");
    expect(definitions.map((d) => d.name)).not.toContain("future");
    // Nothing of a refused plugin is registered, but it is named where its entry could be read.
    expect(registry.get("future/shout@1")).toBeUndefined();
    expect(disabled).toEqual([
      {
        plugin: `"./throws" (${from})`,
        reason: "its entry ./index.mjs failed to load: no GPU found",
        decoders: [],
      },
      {
        name: "future",
        plugin: `"./future" (${from})`,
        reason: "requires engine ^2, but this is engine 1.0.0; install a version of the plugin made for it",
        decoders: ["future-boxes"],
      },
    ]);
    expect(registry.disabledPlugin("future")?.reason).toMatch(/requires engine \^2/);
    expect(disabledPluginLine(disabled[1]!)).toBe(
      `plugin "future" ("./future" (${from})) is disabled: requires engine ^2, but this is engine 1.0.0; install a version of the plugin made for it`,
    );
  });

  it("refuses a plugin named like a built-in one even when the built-in services are off", async () => {
    writePlugin("my-ocr", { entry: validEntry("ocr") });
    config(["./my-ocr"], { builtinServices: false });
    const { registry, disabled } = await loadPlugins({ root, env: {} });
    expect(registry.get("ocr/shout@1")).toBeUndefined();
    expect(disabled.map((d) => [d.name, d.reason])).toEqual([
      [
        "ocr",
        'invalid plugin definition: name: "ocr" is taken by a plugin built into Vizflow (taken: core, colors, faces, quality, ocr); choose another name',
      ],
    ]);
  });

  it("reports a config file it cannot use", async () => {
    writeFileSync(join(root, "vizflow.config.json"), JSON.stringify({ plugins: "ocr" }));
    await expect(loadPlugins({ root, env: {} })).rejects.toThrow(PluginConfigError);
    await expect(loadPlugins({ root, env: {} })).rejects.toThrow(/"plugins" must be an array/);
    await expect(loadPlugins({ root, env: { VIZFLOW_CONFIG: "nope.json" } })).rejects.toThrow(
      /VIZFLOW_CONFIG names .*nope\.json, which does not exist/,
    );
  });
});
