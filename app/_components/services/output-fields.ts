/** The fields an action writes, flattened from its `writes` JSON Schema for display (`quality.sharpness: number`). */

export interface OutputField {
  path: string;
  type: string;
  description?: string;
}

type Schema = Record<string, unknown>;

function isSchema(value: unknown): value is Schema {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typeOf(schema: Schema): string {
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  if (Array.isArray(schema.enum)) return schema.enum.map((v) => JSON.stringify(v)).join(" | ");
  if (Array.isArray(schema.anyOf)) return schema.anyOf.filter(isSchema).map(typeOf).join(" | ");
  if (schema.type === "array") {
    const items = isSchema(schema.items) ? typeOf(schema.items) : "unknown";
    return `${items.includes(" ") ? `(${items})` : items}[]`;
  }
  if (Array.isArray(schema.type)) return schema.type.join(" | ");
  return typeof schema.type === "string" ? schema.type : "unknown";
}

/**
 * Every property path of `schema` down to `depth` levels of objects (arrays of objects list their items'
 * fields under `path[]`), with its type and description.
 */
export function outputFields(schema: unknown, depth = 3, prefix = ""): OutputField[] {
  if (!isSchema(schema) || !isSchema(schema.properties)) return [];
  const fields: OutputField[] = [];
  for (const [name, property] of Object.entries(schema.properties)) {
    if (!isSchema(property)) continue;
    const path = prefix === "" ? name : `${prefix}.${name}`;
    const nested = isSchema(property.properties)
      ? property
      : property.type === "array" && isSchema(property.items) && isSchema(property.items.properties)
        ? property.items
        : undefined;
    const arrayOfObjects = nested !== undefined && nested !== property;
    fields.push({
      path,
      type: nested === undefined ? typeOf(property) : arrayOfObjects ? "object[]" : "object",
      ...(typeof property.description === "string" ? { description: property.description } : {}),
    });
    if (nested !== undefined && depth > 1)
      fields.push(...outputFields(nested, depth - 1, arrayOfObjects ? `${path}[]` : path));
  }
  return fields;
}
