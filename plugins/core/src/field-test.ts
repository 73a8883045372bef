/** The structured tests of the Condition action: a field path, an operator, a value. No code is evaluated. */

export const TEST_OPERATORS = [
  "==",
  "!=",
  ">",
  ">=",
  "<",
  "<=",
  "in",
  "not_in",
  "exists",
  "not_exists",
  "contains",
] as const;

export type TestOperator = (typeof TEST_OPERATORS)[number];

export type FieldTest = {
  /** Dotted path into the scope's fields, e.g. `category.best_label.name` or `_objects.0.prob`. */
  field: string;
  op: TestOperator;
  value?: unknown;
};

/** Reads a dotted path; numeric segments index arrays. Undefined when any step is missing. */
export function readPath(fields: Readonly<Record<string, unknown>>, path: string): unknown {
  let current: unknown = fields;
  for (const segment of path.split(".")) {
    if (Array.isArray(current)) {
      if (!/^[0-9]+$/.test(segment)) return undefined;
      current = current[Number(segment)];
    } else if (typeof current === "object" && current !== null && Object.hasOwn(current, segment)) {
      current = (current as Record<string, unknown>)[segment];
    } else {
      return undefined;
    }
  }
  return current;
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (typeof a !== "object" || a === null || typeof b !== "object" || b === null || Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  const ra = a as Record<string, unknown>;
  const rb = b as Record<string, unknown>;
  return ka.length === kb.length && ka.every((k) => Object.hasOwn(rb, k) && jsonEqual(ra[k], rb[k]));
}

function compareNumbers(actual: unknown, expected: unknown, test: (a: number, b: number) => boolean): boolean {
  return typeof actual === "number" && typeof expected === "number" && test(actual, expected);
}

/** `contains` on a list of labels or objects matches by `name`, so `labels contains "cat"` reads naturally. */
function contains(actual: unknown, expected: unknown): boolean {
  if (typeof actual === "string") return typeof expected === "string" && actual.includes(expected);
  if (!Array.isArray(actual)) return false;
  return actual.some(
    (item) =>
      jsonEqual(item, expected) ||
      (typeof item === "object" && item !== null && (item as Record<string, unknown>).name === expected),
  );
}

/** Evaluates one test against a scope's fields. Negative operators are the negation of their positive twin. */
export function evaluateTest(fields: Readonly<Record<string, unknown>>, test: FieldTest): boolean {
  const actual = readPath(fields, test.field);
  const expected = test.value;
  switch (test.op) {
    case "exists":
      return actual !== undefined && actual !== null;
    case "not_exists":
      return actual === undefined || actual === null;
    case "==":
      return actual !== undefined && jsonEqual(actual, expected);
    case "!=":
      return !(actual !== undefined && jsonEqual(actual, expected));
    case ">":
      return compareNumbers(actual, expected, (a, b) => a > b);
    case ">=":
      return compareNumbers(actual, expected, (a, b) => a >= b);
    case "<":
      return compareNumbers(actual, expected, (a, b) => a < b);
    case "<=":
      return compareNumbers(actual, expected, (a, b) => a <= b);
    case "in":
      return actual !== undefined && Array.isArray(expected) && expected.some((v) => jsonEqual(actual, v));
    case "not_in":
      return !(actual !== undefined && Array.isArray(expected) && expected.some((v) => jsonEqual(actual, v)));
    case "contains":
      return contains(actual, expected);
  }
}
