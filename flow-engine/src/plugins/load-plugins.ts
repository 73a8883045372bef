/**
 * Builds the ActionRegistry from the enabled plugins: the one registry the app (palette, validation, test
 * runs) and the engine use. A plugin that is wrong is disabled with its reason (the rest start): its flows
 * are told why at validation, and the Services page and the log say it.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import {
  ActionRegistry,
  BUILTIN_DECODER_IDS,
  disabledPluginName,
  DuplicateActionError,
  type DisabledPlugin,
  type PluginDefinition,
} from "@vizflow/sdk";
import semver from "semver";

import { BUILTIN_DECODERS } from "../runtime/decoders/registry.js";
import { asPluginDefinition, pluginProblems } from "./check-plugin.js";
import { isFolderSpec, readPluginSettings, type PluginConfigOptions, type PluginSpec } from "./plugin-config.js";

/** The engine's plugin API version; a plugin's `vizflow.engine` range must include it. */
export const ENGINE_VERSION = "1.0.0";

/** Always enabled: flows cannot be built without them. */
export const CORE_PLUGIN_PACKAGES = ["@vizflow/plugin-core"] as const;
/** The ready-to-use services, enabled unless the config says `"builtinServices": false`. */
export const BUILTIN_SERVICE_PACKAGES: readonly string[] = [
  "@vizflow/plugin-colors",
  "@vizflow/plugin-faces",
  "@vizflow/plugin-image-quality",
  "@vizflow/plugin-ocr",
];

/** An enabled plugin as loaded, for the Services page. */
export interface InstalledPlugin {
  /** Namespace of its actions. */
  name: string;
  title: string;
  description?: string;
  packageName: string;
  version: string;
  /** Its `vizflow.engine` range. */
  engine: string;
  builtin: boolean;
  /** Where it was enabled. */
  from: string;
}

export interface LoadedPlugins {
  /** The enabled plugins' actions and decoders; it also records the disabled plugins (`disabledPlugins()`). */
  registry: ActionRegistry;
  plugins: InstalledPlugin[];
  /** The plugins' definitions, for `DecoderRegistry.withPlugins` (model versions may name their decoders). */
  definitions: PluginDefinition[];
  /** Plugins that were enabled but refused, each with its reason; nothing of theirs is registered. */
  disabled: DisabledPlugin[];
}

interface PackageJson {
  name?: unknown;
  version?: unknown;
  vizflow?: unknown;
}

/** `node_modules/<name>` from `base` upwards, as Node resolves packages. */
function findPackageDirectory(name: string, base: string): string | undefined {
  for (let dir = base; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return realpathSync(candidate);
    if (dirname(dir) === dir) return undefined;
  }
}

/** What a refused plugin could still tell about itself (its entry loaded), so its flows can be told why. */
interface KnownParts {
  name?: string;
  decoders: string[];
}

class Refusal extends Error {
  constructor(
    message: string,
    readonly known: KnownParts = { decoders: [] },
  ) {
    super(message);
  }
}

function refuse(message: string, known?: KnownParts): never {
  throw new Refusal(message, known);
}

/** The name and decoder ids of whatever a plugin's entry exported, as far as they can be read. */
function knownParts(exported: unknown): KnownParts {
  if (typeof exported !== "object" || exported === null) return { decoders: [] };
  const { name, decoders } = exported as Record<string, unknown>;
  return {
    ...(typeof name === "string" && name !== "" ? { name } : {}),
    decoders: Array.isArray(decoders)
      ? decoders.flatMap((d: unknown) =>
          typeof d === "object" && d !== null && typeof (d as { id?: unknown }).id === "string"
            ? [(d as { id: string }).id]
            : [],
        )
      : [],
  };
}

async function importEntry(entryPath: string): Promise<unknown> {
  // Loaded at run time from wherever it is installed; bundlers must leave this import alone.
  const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(entryPath).href)) as {
    default?: unknown;
  };
  return module.default;
}

async function loadOne(
  spec: PluginSpec,
  builtin: boolean,
): Promise<{ info: InstalledPlugin; definition: ReturnType<typeof asPluginDefinition>; directory: string }> {
  const directory = isFolderSpec(spec.spec)
    ? resolve(spec.base, spec.spec)
    : (findPackageDirectory(spec.spec, spec.base) ??
      refuse(`package "${spec.spec}" is not installed (looked in node_modules from ${spec.base} upwards)`));
  const packagePath = join(directory, "package.json");
  if (!existsSync(packagePath)) refuse(`folder ${directory} has no package.json`);
  let pkg: PackageJson;
  try {
    pkg = JSON.parse(readFileSync(packagePath, "utf8")) as PackageJson;
  } catch (error) {
    refuse(`cannot read ${packagePath}: ${(error as Error).message}`);
  }
  const manifest = pkg.vizflow;
  if (typeof manifest !== "object" || manifest === null) {
    refuse(`it is not a Vizflow plugin: ${packagePath} has no "vizflow": { "plugin": "<entry>", "engine": "^1" } key`);
  }
  const { plugin: entry, engine } = manifest as Record<string, unknown>;
  if (typeof entry !== "string" || entry === "") refuse(`"vizflow.plugin" in ${packagePath} must name its entry file`);
  if (typeof engine !== "string" || semver.validRange(engine) === null) {
    refuse(`"vizflow.engine" in ${packagePath} must be a semver range such as "^1", got ${JSON.stringify(engine)}`);
  }
  const entryPath = resolve(directory, entry);
  if (!semver.satisfies(ENGINE_VERSION, engine)) {
    // Nothing of it is registered; its entry is read only for its name, so that its flows can say why.
    const known = existsSync(entryPath) ? await importEntry(entryPath).then(knownParts, () => undefined) : undefined;
    refuse(
      `requires engine ${engine}, but this is engine ${ENGINE_VERSION}; install a version of the plugin made for it`,
      known,
    );
  }
  if (!existsSync(entryPath)) refuse(`its entry file ${entry} does not exist (${entryPath}); was the plugin built?`);

  let exported: unknown;
  try {
    exported = await importEntry(entryPath);
  } catch (error) {
    refuse(`its entry ${entry} failed to load: ${(error as Error).message}`);
  }
  const problems = pluginProblems(exported, { builtin });
  if (problems.length > 0) refuse(`invalid plugin definition: ${problems.join("; ")}`, knownParts(exported));
  const definition = asPluginDefinition(exported);
  return {
    directory,
    definition,
    info: {
      name: definition.name,
      title: definition.title,
      ...(definition.description === undefined ? {} : { description: definition.description }),
      packageName: typeof pkg.name === "string" ? pkg.name : directory,
      version: typeof pkg.version === "string" ? pkg.version : "0.0.0",
      engine,
      builtin,
      from: spec.from,
    },
  };
}

const ENGINE_DIRECTORY = dirname(dirname(dirname(fileURLToPath(import.meta.url))));

/**
 * Loads the built-in plugins and the configured ones into one registry. A plugin that is refused (not
 * installed, no `vizflow` key, incompatible engine range, missing entry file, an entry that does not load, an
 * invalid definition, or a plugin name, action id or decoder id already taken) is disabled with its reason
 * and the others load; only a configuration file that cannot be read throws (PluginConfigError).
 */
export async function loadPlugins(options: PluginConfigOptions = {}): Promise<LoadedPlugins> {
  const settings = readPluginSettings(options);
  const builtins = [...CORE_PLUGIN_PACKAGES, ...(settings.builtinServices ? BUILTIN_SERVICE_PACKAGES : [])];
  const specs: { spec: PluginSpec; builtin: boolean }[] = [
    ...builtins.map((spec) => ({ spec: { spec, from: "built-in", base: ENGINE_DIRECTORY }, builtin: true })),
    ...settings.specs.map((spec) => ({ spec, builtin: false })),
  ];

  const registry = new ActionRegistry();
  const plugins: InstalledPlugin[] = [];
  const directories = new Set<string>();
  const owners = new Map<string, string>();
  const decoderOwners = new Map<string, string>(
    [...BUILTIN_DECODERS.map((d) => d.id), ...BUILTIN_DECODER_IDS].map((id) => [id, "built into the engine"]),
  );
  const definitions: PluginDefinition[] = [];
  for (const { spec, builtin } of specs) {
    const label = `"${spec.spec}" (${spec.from === "built-in" ? "built-in" : `enabled in ${spec.from}`})`;
    try {
      const loaded = await loadOne(spec, builtin);
      // The same package enabled twice (config file and variable) is one plugin.
      if (directories.has(loaded.directory)) continue;
      directories.add(loaded.directory);
      const { name } = loaded.definition;
      const known = knownParts(loaded.definition);
      const owner = owners.get(name);
      if (owner !== undefined) {
        refuse(`its name "${name}" is already used by plugin ${owner}; action ids would clash`, known);
      }
      for (const decoder of loaded.definition.decoders ?? []) {
        const decoderOwner = decoderOwners.get(decoder.id);
        if (decoderOwner !== undefined)
          refuse(
            `its decoder "${decoder.id}" is already ${decoderOwner.startsWith("built") ? decoderOwner : `provided by plugin ${decoderOwner}`}`,
            known,
          );
      }
      try {
        registry.add(loaded.definition);
      } catch (error) {
        if (error instanceof DuplicateActionError) {
          refuse(`action ${error.ref} is already provided by another plugin`, known);
        }
        throw error;
      }
      owners.set(name, label);
      for (const decoder of loaded.definition.decoders ?? []) decoderOwners.set(decoder.id, label);
      plugins.push(loaded.info);
      definitions.push(loaded.definition);
    } catch (error) {
      // Anything a plugin does wrong disables that plugin alone, whatever it threw.
      const reason = error instanceof Error ? error.message : String(error);
      const known = error instanceof Refusal ? error.known : { decoders: [] };
      registry.disable({
        ...(known.name === undefined ? {} : { name: known.name }),
        plugin: label,
        reason,
        decoders: known.decoders,
      });
    }
  }
  return { registry, plugins, definitions, disabled: [...registry.disabledPlugins()] };
}

/** The log line of a disabled plugin: names it and says why, as the Services page does. */
export function disabledPluginLine(plugin: DisabledPlugin): string {
  return `plugin ${disabledPluginName(plugin)} is disabled: ${plugin.reason}`;
}

const SHARED = Symbol.for("vizflow.plugins");
type SharedHolder = { [SHARED]?: Promise<LoadedPlugins> };

/** The process-wide plugins (loaded once from the working directory's configuration), shared by app and engine. */
export function installedPlugins(): Promise<LoadedPlugins> {
  const holder = globalThis as SharedHolder;
  holder[SHARED] ??= loadPlugins().catch((error: unknown) => {
    delete holder[SHARED];
    throw error;
  });
  return holder[SHARED];
}
