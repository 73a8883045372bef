/**
 * Ids a third-party plugin may not use, because the engine's built-ins have them: a plugin's actions are
 * named `<plugin name>/<action id>@<major>`, so a plugin named like a built-in one would shadow its actions,
 * and a model version's adapter names its decoder by id alone. Kept equal to what the engine loads by a test
 * of the engine (`taken-ids.test.ts`).
 */

/** Names (action namespaces) of the plugins built into the engine. */
export const BUILTIN_PLUGIN_NAMES: readonly string[] = ["core", "colors", "faces", "quality", "ocr"];

/** Every action the built-in plugins provide, as `<plugin>/<action>@<major>`. */
export const BUILTIN_ACTION_IDS: readonly string[] = [
  "core/input@1",
  "core/recognition@1",
  "core/detection@1",
  "core/branch-selector@1",
  "core/object-selector@1",
  "core/service@1",
  "core/list@1",
  "core/nested-flow@1",
  "core/condition@1",
  "colors/dominant@1",
  "faces/detect@1",
  "faces/expression@1",
  "quality/measure@1",
  "ocr/read-text@1",
];

/** Ids of the output decoders built into the engine's model runtime. */
export const BUILTIN_DECODER_IDS: readonly string[] = [
  "softmax",
  "sigmoid",
  "identity",
  "regression",
  "ssd",
  "yolox",
  "fastestdet",
];

/** What a plugin name, action id or decoder id must look like: kebab-case (lower-case letters, digits, single dashes). */
export const PLUGIN_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;
