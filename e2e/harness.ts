import { mkdirSync } from "node:fs";
import path from "node:path";
import type { Browser, BrowserContext, Page } from "playwright-core";

export const ARTIFACTS = path.resolve(import.meta.dirname, "..", ".artifacts", "e2e");

/** What a journey gets: the product's address, the browser, and a camera that names screenshots by step. */
export interface JourneyContext {
  baseUrl: string;
  browser: Browser;
  /**
   * A fresh browser context (its own cookies), closed after the journey: signed out, or signed in as
   * whoever `storageState` (from `context.storageState()`, as JSON) belonged to.
   */
  newContext: (storageState?: string) => Promise<BrowserContext>;
  /** Saves a full-page screenshot as `<journey>-<nn>-<step>.png`. */
  shot: (page: Page, step: string) => Promise<void>;
  /** Facts one journey leaves for the next (accounts, workspace ids, links). */
  shared: Map<string, string>;
}

export interface Journey {
  name: string;
  run(context: JourneyContext): Promise<void>;
}

export function journey(name: string, run: Journey["run"]): Journey {
  return { name, run };
}

export function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "")
    .slice(0, 60);
}

/** A camera for one journey: numbered screenshots in the order the steps happened. */
export function camera(journeyIndex: number, journeyName: string): (page: Page, step: string) => Promise<void> {
  mkdirSync(ARTIFACTS, { recursive: true });
  let step = 0;
  return async (page, name) => {
    step += 1;
    const file = `${String(journeyIndex).padStart(2, "0")}-${slug(journeyName)}-${String(step).padStart(2, "0")}-${slug(name)}.png`;
    await page.screenshot({ path: path.join(ARTIFACTS, file), fullPage: true });
  };
}

export function required(shared: Map<string, string>, key: string): string {
  const value = shared.get(key);
  if (value === undefined) throw new Error(`an earlier journey did not leave "${key}"; it probably failed`);
  return value;
}
