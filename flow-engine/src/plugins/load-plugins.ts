/**
 * Builds the ActionRegistry from the enabled plugins: the one registry the app (palette, validation, test
 * runs) and the engine use. Anything wrong with a plugin refuses the start with a message naming it.
 */
import { existsSync, readFileSync, realpathSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";

import { ActionRegistry, DuplicateActionError, type PluginDefinition } from "@vizflow/sdk";
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
  registry: ActionRegistry;
  plugins: InstalledPlugin[];
  /** The plugins' definitions, for `DecoderRegistry.withPlugins` (model versions may name their decoders). */
  definitions: PluginDefinition[];
}

export interface PluginProblem {
  /** The plugin as configured (package name or folder). */
  plugin: string;
  message: string;
}

/** The start is refused: every problem of every plugin, each naming its plugin. */
export class PluginLoadError extends Error {
  constructor(readonly problems: readonly PluginProblem[]) {
    super(
      `Vizflow cannot start: ${problems.length === 1 ? "a plugin is" : `${problems.length} plugins are`} refused.\n` +
        problems.map((p) => `- plugin ${p.plugin}: ${p.message}`).join("\n"),
    );
    this.name = "PluginLoadError";
  }
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

class Refusal extends Error {}

function refuse(message: string): never {
  throw new Refusal(message);
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
    refuse(`is not a Vizflow plugin: ${packagePath} has no "vizflow": { "plugin": "<entry>", "engine": "^1" } key`);
  }
  const { plugin: entry, engine } = manifest as Record<string, unknown>;
  if (typeof entry !== "string" || entry === "") refuse(`"vizflow.plugin" in ${packagePath} must name its entry file`);
  if (typeof engine !== "string" || semver.validRange(engine) === null) {
    refuse(`"vizflow.engine" in ${packagePath} must be a semver range such as "^1", got ${JSON.stringify(engine)}`);
  }
  if (!semver.satisfies(ENGINE_VERSION, engine)) {
    refuse(
      `requires engine ${engine}, but this is engine ${ENGINE_VERSION}; install a version of the plugin made for it`,
    );
  }
  const entryPath = resolve(directory, entry);
  if (!existsSync(entryPath)) refuse(`its entry file ${entry} does not exist (${entryPath}); was the plugin built?`);

  let exported: unknown;
  try {
    // Loaded at run time from wherever it is installed; bundlers must leave this import alone.
    const module = (await import(/* webpackIgnore: true */ /* @vite-ignore */ pathToFileURL(entryPath).href)) as {
      default?: unknown;
    };
    exported = module.default;
  } catch (error) {
    refuse(`its entry ${entry} failed to load: ${(error as Error).message}`);
  }
  const problems = pluginProblems(exported);
  if (problems.length > 0) refuse(`invalid plugin definition: ${problems.join("; ")}`);
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
 * Loads the built-in plugins and the configured ones into one registry, or throws PluginLoadError listing
 * every refused plugin: not installed, no `vizflow` key, incompatible engine range, missing entry file,
 * an entry that does not load, an invalid definition, or a plugin name, action id or decoder id already taken.
 */
export async function loadPlugins(options: PluginConfigOptions = {}): Promise<LoadedPlugins> {
  const settings = readPluginSettings(options);
  const builtins = [...CORE_PLUGIN_PACKAGES, ...(settings.builtinServices ? BUILTIN_SERVICE_PACKAGES : [])];
  const specs: { spec: PluginSpec; builtin: boolean }[] = [
    ...builtins.map((spec) => ({ spec: { spec, from: "built-in", base: ENGINE_DIRECTORY }, builtin: true })),
    ...settings.specs.map((spec) => ({ spec, builtin: false })),
  ];

  const problems: PluginProblem[] = [];
  const registry = new ActionRegistry();
  const plugins: InstalledPlugin[] = [];
  const directories = new Set<string>();
  const owners = new Map<string, string>();
  const decoderOwners = new Map<string, string>(BUILTIN_DECODERS.map((d) => [d.id, "built into the engine"]));
  const definitions: PluginDefinition[] = [];
  for (const { spec, builtin } of specs) {
    const label = `"${spec.spec}" (${spec.from === "built-in" ? "built-in" : `enabled in ${spec.from}`})`;
    try {
      const loaded = await loadOne(spec, builtin);
      // The same package enabled twice (config file and variable) is one plugin.
      if (directories.has(loaded.directory)) continue;
      directories.add(loaded.directory);
      const owner = owners.get(loaded.definition.name);
      if (owner !== undefined) {
        refuse(`its name "${loaded.definition.name}" is already used by plugin ${owner}; action ids would clash`);
      }
      for (const decoder of loaded.definition.decoders ?? []) {
        const decoderOwner = decoderOwners.get(decoder.id);
        if (decoderOwner !== undefined)
          refuse(
            `its decoder "${decoder.id}" is already ${decoderOwner.startsWith("built") ? decoderOwner : `provided by plugin ${decoderOwner}`}`,
          );
      }
      try {
        registry.add(loaded.definition);
      } catch (error) {
        if (error instanceof DuplicateActionError) refuse(`action ${error.ref} is already provided by another plugin`);
        throw error;
      }
      owners.set(loaded.definition.name, label);
      for (const decoder of loaded.definition.decoders ?? []) decoderOwners.set(decoder.id, label);
      plugins.push(loaded.info);
      definitions.push(loaded.definition);
    } catch (error) {
      if (!(error instanceof Refusal)) throw error;
      problems.push({ plugin: label, message: error.message });
    }
  }
  if (problems.length > 0) throw new PluginLoadError(problems);
  return { registry, plugins, definitions };
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
