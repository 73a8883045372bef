/** Plugin loading: the enabled set from configuration, checked and built into one ActionRegistry. */
export {
  BUILTIN_SERVICE_PACKAGES,
  CORE_PLUGIN_PACKAGES,
  ENGINE_VERSION,
  installedPlugins,
  loadPlugins,
  disabledPluginLine,
  type InstalledPlugin,
  type LoadedPlugins,
} from "./load-plugins.js";
export { pluginProblems } from "./check-plugin.js";
export {
  CONFIG_FILE,
  PluginConfigError,
  readPluginSettings,
  type PluginConfigOptions,
  type PluginSettings,
  type PluginSpec,
} from "./plugin-config.js";
