/** Joins class names, skipping falsy ones, so components can take conditional and caller classes. */
export function cn(...classes: (string | false | null | undefined)[]): string {
  return classes.filter(Boolean).join(" ");
}
