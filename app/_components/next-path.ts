/**
 * The in-app path to return to after signing in, or undefined when `next` could lead off the site
 * (absolute URLs, protocol-relative `//host`, backslash tricks), so a crafted link cannot redirect elsewhere.
 */
export function safeNextPath(next: string | null | undefined): string | undefined {
  if (next === null || next === undefined || !next.startsWith("/")) return undefined;
  if (next.startsWith("//") || next.includes("\\")) return undefined;
  return next;
}

/** `/sign-in?next=<path>` for the page the visitor wanted. */
export function signInPath(next: string | undefined): string {
  return next === undefined ? "/sign-in" : `/sign-in?next=${encodeURIComponent(next)}`;
}
