/**
 * The value of a Condition's test, as its form draws it. The operator decides the value's schema
 * (the Condition resolves it per operator): no value for `exists`, a number for `>` and friends, a
 * list for `in` / `not_in`, and text, a number or true / false for `==`, `!=` and `contains`.
 */
import type { RJSFSchema } from "@rjsf/utils";

export type ValueKind = "none" | "number" | "list" | "scalar";
export type ScalarType = "string" | "number" | "boolean";
export type Scalar = string | number | boolean;

export const SCALAR_TYPE_NAMES: Record<ScalarType, string> = {
  string: "Text",
  number: "Number",
  boolean: "True or false",
};

/** What input the value's (operator-resolved) schema asks for. */
export function valueKind(schema: RJSFSchema): ValueKind {
  const { type } = schema;
  if (type === "array") return "list";
  if (type === "number" || type === "integer") return "number";
  if (type === undefined) return "none";
  return "scalar";
}

export function isScalar(value: unknown): value is Scalar {
  return (
    typeof value === "string" || (typeof value === "number" && Number.isFinite(value)) || typeof value === "boolean"
  );
}

/** The type a value is entered as: the value's own, else that of the field it is compared with, else text. */
export function scalarTypeOf(value: unknown, fieldType?: string): ScalarType {
  const sample: unknown = Array.isArray(value) ? value[0] : value;
  if (typeof sample === "number") return "number";
  if (typeof sample === "boolean") return "boolean";
  if (typeof sample === "string") return "string";
  if (fieldType === "number" || fieldType === "integer") return "number";
  if (fieldType === "boolean") return "boolean";
  return "string";
}

/** What was typed, read as `type`; undefined when it is empty or not a number. */
export function parseScalar(text: string, type: ScalarType): Scalar | undefined {
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : undefined;
  if (text.trim() === "") return undefined;
  if (type === "string") return text;
  const number = Number(text);
  return Number.isFinite(number) ? number : undefined;
}

/** A value entered as one type, entered again as another (Text "3" → Number 3); undefined when it does not fit. */
export function convertScalar(value: unknown, to: ScalarType): Scalar | undefined {
  if (!isScalar(value)) return undefined;
  return parseScalar(String(value), to);
}

/**
 * The value carried over when the operator changes: a single value becomes a list of one and back,
 * text that is a number becomes a number for `>`, and `exists` drops the value. Undefined when nothing fits.
 */
export function fitValue(kind: ValueKind, value: unknown): unknown {
  switch (kind) {
    case "none":
      return undefined;
    case "list": {
      const items = (Array.isArray(value) ? value : [value]).filter(isScalar);
      return items.length === 0 ? undefined : [...new Set(items)];
    }
    case "number": {
      const single: unknown = Array.isArray(value) ? value[0] : value;
      return typeof single === "number" ? single : convertScalar(single, "number");
    }
    case "scalar": {
      const single: unknown = Array.isArray(value) ? value[0] : value;
      return isScalar(single) ? single : undefined;
    }
  }
}
