import type { Locator, Page } from "playwright-core";

const TIMEOUT_MS = 15_000;

async function poll<T>(
  read: () => Promise<T>,
  ok: (value: T) => boolean,
  describe: (last: T | undefined) => string,
  timeoutMs = TIMEOUT_MS,
) {
  const deadline = Date.now() + timeoutMs;
  let last: T | undefined;
  for (;;) {
    try {
      last = await read();
      if (ok(last)) return last;
    } catch {
      // The element may not exist yet; keep polling until the deadline.
    }
    if (Date.now() > deadline) throw new Error(describe(last));
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

function matches(text: string, pattern: RegExp | string): boolean {
  return typeof pattern === "string" ? text.includes(pattern) : pattern.test(text);
}

/** Waits until the (first) element's visible text matches (15 s unless `timeoutMs` says otherwise). */
export async function expectText(
  locator: Locator,
  pattern: RegExp | string,
  { timeoutMs }: { timeoutMs?: number } = {},
): Promise<string> {
  return poll(
    () => locator.first().innerText({ timeout: 1000 }),
    (text) => matches(text, pattern),
    (last) => `expected ${locator.toString()} to show ${String(pattern)}, it showed ${JSON.stringify(last)}`,
    timeoutMs,
  );
}

/** Waits until the page's path (and query) matches. */
export async function expectPath(page: Page, pattern: RegExp): Promise<string> {
  return poll(
    () => Promise.resolve(new URL(page.url()).pathname + new URL(page.url()).search),
    (path) => pattern.test(path),
    (last) => `expected the page to be at ${String(pattern)}, it is at ${JSON.stringify(last)}`,
  );
}

export async function expectCount(locator: Locator, count: number): Promise<void> {
  await poll(
    () => locator.count(),
    (n) => n === count,
    (last) => `expected ${count} of ${locator.toString()}, found ${String(last)}`,
  );
}

export async function expectHidden(locator: Locator): Promise<void> {
  await poll(
    () => locator.count(),
    (n) => n === 0,
    (last) => `expected ${locator.toString()} to be absent, found ${String(last)}`,
  );
}

export function assert(condition: boolean, message: string): asserts condition {
  if (!condition) throw new Error(message);
}
