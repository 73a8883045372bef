import type { FlowNode } from "../graph.js";
import type { RegisteredAction } from "../registry.js";

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
