/** What journeys in the flow editor share: tRPC calls as the signed-in browser, and mouse work on the canvas. */
import type { APIRequestContext, Locator, Page } from "playwright-core";
import { assert, expectText } from "../expect";

/** Calls a tRPC procedure over HTTP as the signed-in browser context (its cookies), as the app does. */
export async function trpc<T>(
  request: APIRequestContext,
  baseUrl: string,
  procedure: string,
  input: unknown,
  kind: "query" | "mutation" = "mutation",
): Promise<T> {
  const url = `${baseUrl}/api/trpc/${procedure}`;
  const response =
    kind === "query"
      ? await request.get(`${url}?input=${encodeURIComponent(JSON.stringify(input))}`)
      : await request.post(url, { data: input, headers: { origin: baseUrl } });
  const body = (await response.json()) as { result?: { data: T }; error?: unknown };
  assert(response.ok() && body.result !== undefined, `${procedure} failed: ${JSON.stringify(body)}`);
  return body.result.data;
}

/** A node on the canvas by the title it shows. */
export function node(page: Page, title: string): Locator {
  return page.locator(`.react-flow__node:has([data-node-title="${title}"])`);
}

async function centre(locator: Locator): Promise<{ x: number; y: number }> {
  const box = await locator.boundingBox();
  if (!box) throw new Error(`${locator.toString()} is not on screen`);
  return { x: box.x + box.width / 2, y: box.y + box.height / 2 };
}

/** Drags from one handle to another with the mouse, the way a user draws an edge. */
async function connect(page: Page, from: Locator, to: Locator): Promise<void> {
  const a = await centre(from);
  const b = await centre(to);
  await page.mouse.move(a.x, a.y);
  await page.mouse.down();
  await page.mouse.move((a.x + b.x) / 2, (a.y + b.y) / 2, { steps: 8 });
  await page.mouse.move(b.x, b.y, { steps: 8 });
  await page.mouse.up();
}

/**
 * Clicks Auto-layout and waits until `locator` stops moving: the layout ends in an animated fit of the
 * view, and a drag measured during it lands in the wrong place. Then no node may lie under the minimap
 * or the zoom buttons: the fit leaves their corners free.
 */
export async function autoLayout(page: Page, locator: Locator): Promise<void> {
  await page.getByRole("button", { name: "Auto-layout" }).click();
  let last = "";
  for (let i = 0; i < 50; i++) {
    await new Promise((resolve) => setTimeout(resolve, 150));
    const now = JSON.stringify(await locator.boundingBox());
    if (i > 1 && now === last) {
      const covered = await nodesUnderCanvasPanels(page);
      const size = page.viewportSize();
      assert(
        covered.length === 0,
        `after Auto-layout at ${size?.width}x${size?.height}, canvas panels cover nodes: ${covered.join("; ")}`,
      );
      return;
    }
    last = now;
  }
  throw new Error(`${locator.toString()} kept moving after Auto-layout`);
}

/** Each node whose box intersects the minimap's or the zoom buttons' box, as "title under panel". */
export async function nodesUnderCanvasPanels(page: Page): Promise<string[]> {
  return page
    .locator(".react-flow")
    .first()
    .evaluate((canvas) => {
      const panels = [".react-flow__minimap", ".react-flow__controls"].flatMap((selector) =>
        Array.from(canvas.querySelectorAll(selector)).map((e) => ({ name: selector, box: e.getBoundingClientRect() })),
      );
      const found: string[] = [];
      for (const n of Array.from(canvas.querySelectorAll(".react-flow__node"))) {
        const a = n.getBoundingClientRect();
        const title = n.querySelector("[data-node-title]")?.getAttribute("data-node-title") ?? n.id;
        for (const { name, box: b } of panels)
          if (a.left < b.right && b.left < a.right && a.top < b.bottom && b.top < a.bottom)
            found.push(`“${title}” under ${name.slice(".react-flow__".length)}`);
      }
      return found;
    });
}

/** Connects `parent`'s handle (its only one when not named) to `child` with the mouse. */
export async function connectNodes(page: Page, parent: string, handle: string | undefined, child: string) {
  const from = node(page, parent).locator(
    handle === undefined ? ".react-flow__handle.source" : `.react-flow__handle[data-handleid="${handle}"]`,
  );
  await connect(page, from, node(page, child).locator(".react-flow__handle.target"));
}

/** Drags an action from the palette onto the canvas at a point (relative to the canvas). */
export async function dropAction(page: Page, ref: string, at: { x: number; y: number }): Promise<void> {
  await page
    .locator(`[data-palette-action="${ref}"]`)
    .dragTo(page.locator(".react-flow__pane"), { targetPosition: at });
}

export async function saveVersion(page: Page, message: string, expected: number): Promise<void> {
  await page.getByRole("button", { name: "Save version" }).first().click();
  await page.getByLabel("What changed?").fill(message);
  await page.locator("dialog[open]").getByRole("button", { name: "Save version" }).click();
  await expectText(page.locator("[data-notice]"), `Saved version ${expected}.`);
}

/** Opens a new flow in the editor from the flows page; resolves when the canvas shows its Input. */
export async function newFlow(page: Page, baseUrl: string, workspaceId: string, name: string): Promise<void> {
  await page.goto(`${baseUrl}/w/${workspaceId}/flows`);
  await page.getByRole("button", { name: "New flow" }).click();
  await page.getByLabel("Flow name").fill(name);
  await page.getByRole("button", { name: "Create and open" }).click();
  await node(page, "Input").waitFor();
}
