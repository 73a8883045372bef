import type { FlowNode } from "../graph.js";
import type { DisabledPlugin, RegisteredAction } from "../registry.js";

/** How a node is named in a message: its label, else its action's title and id. */
export function nodeName(node: FlowNode, action?: RegisteredAction): string {
  if (node.label !== undefined && node.label.trim() !== "") return `"${node.label}"`;
  if (action) return `${action.definition.title} node "${node.id}"`;
  return `node "${node.id}"`;
}

/** Capitalises the first letter, for a name that starts a sentence. */
export function sentence(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

export function quoteList(items: readonly string[]): string {
  return items.map((item) => `"${item}"`).join(", ");
}

/** Lower-cases the first letter, for a sentence that continues another ("…, setting "task": choose a task."). */
export function continued(text: string): string {
  return text.charAt(0).toLowerCase() + text.slice(1);
}

/** How a config setting is named in a message: `setting "conditions/0/field"`. */
export function settingName(path: string): string {
  return `setting "${path.slice(1).replace(/~1/g, "/").replace(/~0/g, "~")}"`;
}

/** A config problem's message for API callers: the node, the setting, and what to do about it. */
export function settingMessage(node: string, path: string, fieldMessage: string): string {
  return path === ""
    ? `${sentence(node)}: ${fieldMessage}`
    : `${sentence(node)}, ${settingName(path)}: ${continued(fieldMessage)}`;
}

/** How a message names a plugin refused at start: its name, and how it was enabled when that differs. */
export function disabledPluginName(plugin: DisabledPlugin): string {
  return plugin.name === undefined ? plugin.plugin : `"${plugin.name}" (${plugin.plugin})`;
}
