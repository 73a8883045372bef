/**
 * Which plugins are enabled: the built-ins, plus what `vizflow.config.json` (or the file `VIZFLOW_CONFIG`
 * names) and `VIZFLOW_PLUGINS` (comma-separated) add. Entries are npm package names, or folders (paths
 * starting with `.` or `/`, relative to the config file or, for the variable, to the working directory).
 */
import { existsSync, readFileSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";

export const CONFIG_FILE = "vizflow.config.json";

/** One enabled plugin as configured, before it is resolved. */
export interface PluginSpec {
  /** As written: a package name or a folder path. */
  spec: string;
  /** Where it was enabled, for messages ("vizflow.config.json", "VIZFLOW_PLUGINS", "built-in"). */
  from: string;
  /** Directory that package names resolve from (their node_modules) and folders are relative to. */
  base: string;
}

export interface PluginSettings {
  /** Whether the built-in services (OCR, colours, faces, image quality) are enabled; core always is. */
  builtinServices: boolean;
  specs: PluginSpec[];
}

export interface PluginConfigOptions {
  /** Project root: where `vizflow.config.json` is looked for and packages resolve from (default: cwd). */
  root?: string;
  env?: Readonly<Record<string, string | undefined>>;
}

/** A configuration file or variable that cannot be used; the message says which and why. */
export class PluginConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "PluginConfigError";
  }
}

export function isFolderSpec(spec: string): boolean {
  return spec.startsWith(".") || isAbsolute(spec);
}

function readConfigFile(path: string): { plugins: string[]; builtinServices: boolean } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, "utf8"));
  } catch (error) {
    throw new PluginConfigError(`cannot read ${path}: ${(error as Error).message}`);
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed)) {
    throw new PluginConfigError(`${path} must hold a JSON object such as { "plugins": ["my-vizflow-plugin"] }`);
  }
  const { plugins = [], builtinServices = true } = parsed as Record<string, unknown>;
  if (!Array.isArray(plugins) || !plugins.every((p) => typeof p === "string" && p.trim() !== "")) {
    throw new PluginConfigError(`${path}: "plugins" must be an array of package names or folder paths`);
  }
  if (typeof builtinServices !== "boolean") {
    throw new PluginConfigError(`${path}: "builtinServices" must be true or false`);
  }
  return { plugins: plugins.map((p: string) => p.trim()), builtinServices };
}

/** Reads the enabled set from the config file and the environment; a missing default file means none. */
export function readPluginSettings(options: PluginConfigOptions = {}): PluginSettings {
  const root = resolve(options.root ?? process.cwd());
  const env = options.env ?? process.env;
  const specs: PluginSpec[] = [];
  let builtinServices = true;

  const named = env.VIZFLOW_CONFIG?.trim();
  const configPath = named ? resolve(root, named) : resolve(root, CONFIG_FILE);
  if (named && !existsSync(configPath)) {
    throw new PluginConfigError(`VIZFLOW_CONFIG names ${configPath}, which does not exist`);
  }
  if (existsSync(configPath)) {
    const file = readConfigFile(configPath);
    builtinServices = file.builtinServices;
    const base = dirname(configPath);
    for (const spec of file.plugins) specs.push({ spec, from: configPath, base });
  }
  for (const spec of (env.VIZFLOW_PLUGINS ?? "").split(",")) {
    if (spec.trim() !== "") specs.push({ spec: spec.trim(), from: "VIZFLOW_PLUGINS", base: root });
  }
  return { builtinServices, specs };
}
