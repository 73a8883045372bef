/** How the settings forms fill in defaults: the same rules for a new node and for every edit in its form. */
import type { Experimental_DefaultFormStateBehavior, RJSFSchema } from "@rjsf/utils";

/**
 * Whether padding `schema` (an array) up to its `minItems` gives real entries: an item that has a default,
 * or an object (which starts with its own defaults). A string item has no default, so rjsf's padding would
 * put `undefined` (saved as `null`) into the config: a Branch Selector's `branches: [null]`.
 */
export function padsWithValues(schema: RJSFSchema): boolean {
  const items = schema.items;
  if (items === undefined || typeof items !== "object" || Array.isArray(items)) return false;
  return items.default !== undefined || items.type === "object";
}

/** rjsf's `experimental_defaultFormStateBehavior` for every settings form (and `defaultsOf`). */
export const FORM_DEFAULTS: Experimental_DefaultFormStateBehavior = {
  arrayMinItems: { computeSkipPopulate: (_validator, schema) => !padsWithValues(schema) },
};
