import { describe, expect, it } from "vitest";

import { pluginProblems } from "./check-plugin.js";

const action = (extra: Record<string, unknown> = {}) => ({
  id: "shout",
  version: 1,
  title: "Shout",
  description: "Writes a greeting.",
  category: "Services",
  config: { type: "object", properties: { loud: { type: "boolean" } } },
  handles: [{ id: "next" }],
  writes: { type: "object", properties: { greeting: { type: "string" } } },
  run: () => Promise.resolve({ write: { greeting: "hi" } }),
  ...extra,
});

const decoder = (extra: Record<string, unknown> = {}) => ({
  id: "grid-boxes",
  title: "Grid boxes",
  params: { type: "object", properties: { threshold: { type: "number" } } },
  taskTypes: ["detection"],
  decode: () => ({ type: "detection", result: [] }),
  ...extra,
});

const plugin = (extra: Record<string, unknown> = {}) => ({
  name: "greeter",
  title: "Greeter",
  actions: [action()],
  decoders: [decoder()],
  ...extra,
});

describe("pluginProblems", () => {
  it("accepts a valid plugin with an action and a decoder", () => {
    expect(pluginProblems(plugin())).toEqual([]);
  });

  it("refuses a plugin name that is not an id, naming the field", () => {
    expect(pluginProblems(plugin({ name: "Bad Id!" }))).toEqual([
      'name: "Bad Id!" is not a valid plugin name; use lower-case letters, digits and single dashes (like "my-detector")',
    ]);
  });

  it("refuses an action id that is not an id, naming actions[i].id", () => {
    expect(pluginProblems(plugin({ actions: [action(), action({ id: "Bad Id!" })] }))).toEqual([
      'actions[1].id: "Bad Id!" is not a valid action id; use lower-case letters, digits and single dashes (like "my-detector")',
    ]);
  });

  it("refuses a decoder id that is not an id, naming decoders[i].id", () => {
    expect(pluginProblems(plugin({ decoders: [decoder({ id: "Grid Boxes" })] }))).toEqual([
      'decoders[0].id: "Grid Boxes" is not a valid decoder id; use lower-case letters, digits and single dashes (like "my-detector")',
    ]);
  });

  it("refuses an unknown task type, naming the allowed ones", () => {
    expect(pluginProblems(plugin({ decoders: [decoder({ taskTypes: ["detektion"] })] }))).toEqual([
      'decoders[0].taskTypes[0] (decoder "grid-boxes"): "detektion" is not a task type; use one of categorization, tagging, regression, detection',
    ]);
    expect(pluginProblems(plugin({ decoders: [decoder({ taskTypes: [] })] }))).toEqual([
      'decoders[0].taskTypes (decoder "grid-boxes"): must be a non-empty array of task types (categorization, tagging, regression, detection)',
    ]);
  });

  it("refuses an invalid params schema with ajv's rule and the path inside it, and only that", () => {
    const problems = pluginProblems(
      plugin({
        decoders: [decoder({ params: { type: "object", properties: { threshold: { type: "nummber" } } } })],
      }),
    );
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatch(
      /^decoders\[0\]\.params\.properties\.threshold\.type \(decoder "grid-boxes"\): is not valid JSON Schema: must be one of "array", "boolean", .*"string"/,
    );
    // The message names params alone when taskTypes is fine (it used to blame both).
    expect(problems[0]).not.toMatch(/taskTypes/);
  });

  it("refuses params that are not an object schema, and taskTypes that are not an array, each on its own", () => {
    expect(pluginProblems(plugin({ decoders: [decoder({ params: { type: "array" } })] }))).toEqual([
      'decoders[0].params.type (decoder "grid-boxes"): must be "object", got "array"',
    ]);
    expect(pluginProblems(plugin({ decoders: [decoder({ taskTypes: "detection" })] }))).toEqual([
      'decoders[0].taskTypes (decoder "grid-boxes"): must be a non-empty array of task types (categorization, tagging, regression, detection)',
    ]);
  });

  it("refuses an invalid config schema of an action, naming the path inside actions[i].config", () => {
    expect(pluginProblems(plugin({ actions: [action({ config: { type: "object", required: "loud" } })] }))).toEqual([
      'actions[0].config.required (action "shout@1"): is not valid JSON Schema: must be array',
    ]);
  });

  it("refuses the names and decoder ids the built-ins have, but lets a built-in plugin use its own", () => {
    expect(pluginProblems(plugin({ name: "core" }))).toEqual([
      'name: "core" is taken by a plugin built into Vizflow (taken: core, colors, faces, quality, ocr); choose another name',
    ]);
    expect(pluginProblems(plugin({ decoders: [decoder({ id: "fastestdet" })] }))).toEqual([
      'decoders[0].id: "fastestdet" is taken by a decoder built into the engine (taken: softmax, sigmoid, identity, regression, ssd, yolox, fastestdet); choose another id',
    ]);
    expect(pluginProblems(plugin({ name: "core", decoders: [decoder({ id: "softmax" })] }), { builtin: true })).toEqual(
      [],
    );
  });

  it("refuses an id used twice in the plugin, naming both places", () => {
    expect(pluginProblems(plugin({ actions: [action(), action()], decoders: [decoder(), decoder()] }))).toEqual([
      'actions[1]: action "shout@1" is defined twice in this plugin (also actions[0])',
      'decoders[1].id: "grid-boxes" is used twice in this plugin (also decoders[0])',
    ]);
  });

  it("names each wrong field of an action", () => {
    expect(
      pluginProblems(
        plugin({
          actions: [
            action({
              version: 0,
              title: "",
              handles: [{}],
              objectFields: [],
              credits: -1,
              run: undefined,
              timeoutMs: 0,
            }),
          ],
        }),
      ),
    ).toEqual([
      'actions[0].version (action "shout@0"): 0 must be a major version, an integer >= 1',
      'actions[0].title (action "shout@0"): must be a non-empty string, got ""',
      'actions[0].objectFields (action "shout@0"): must be a JSON Schema object with type "object"',
      'actions[0].handles[0].id (action "shout@0"): must be a non-empty string',
      'actions[0].credits (action "shout@0"): -1 must be a number >= 0',
      'actions[0].run (action "shout@0"): must be a function (ctx, scope, config) => Promise<ActionOutput>',
      'actions[0].timeoutMs (action "shout@0"): must be a number of milliseconds > 0',
    ]);
  });

  it("names a decoder without a decode function or title", () => {
    expect(pluginProblems(plugin({ decoders: [decoder({ title: 3, decode: "no" })] }))).toEqual([
      'decoders[0].title (decoder "grid-boxes"): must be a non-empty string, got 3',
      'decoders[0].decode (decoder "grid-boxes"): must be a function (input) => TaskPrediction',
    ]);
  });

  it("refuses an entry that exported no plugin", () => {
    expect(pluginProblems(undefined)).toEqual([
      "its entry must default-export definePlugin({...}), but exported undefined",
    ]);
  });
});
