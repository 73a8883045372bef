import type { Page } from "playwright-core";
import { journey } from "../harness";
import { expectCount, expectPath, expectText } from "../expect";
import { FIRST_WORKSPACE, OWNER, SECOND_WORKSPACE } from "./accounts";

export function workspaceIdFromPath(page: Page): string {
  const match = /^\/w\/([^/]+)\//.exec(new URL(page.url()).pathname);
  if (match?.[1] === undefined) throw new Error(`not on a workspace page: ${page.url()}`);
  return match[1];
}

export async function openSwitcher(page: Page): Promise<void> {
  await page.getByRole("button", { name: /^Workspace: / }).click();
  await page.getByRole("menu").waitFor();
}

export const setupJourney = journey(
  "first start opens setup; bad input is refused per field and saves nothing; setup creates the owner and workspace",
  async ({ baseUrl, newContext, shot, shared }) => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await expectPath(page, /^\/setup$/);
    await page.locator("#workspaceName").waitFor();
    await shot(page, "setup page");

    await page.fill("#name", OWNER.name);
    await page.fill("#email", OWNER.email);
    await page.fill("#password", "short");
    await page.getByRole("button", { name: "Create owner and workspace" }).click();
    await expectText(page.locator("#password-error"), /10 characters/);
    await expectText(page.locator("#workspaceName-error"), /\S/);
    await shot(page, "weak password and empty workspace name refused");

    // Had the refused attempt saved the owner, setup would now be closed and this would fail.
    await page.fill("#password", OWNER.password);
    await page.fill("#workspaceName", FIRST_WORKSPACE);
    await page.getByRole("button", { name: "Create owner and workspace" }).click();
    await expectPath(page, /^\/w\/[^/]+\/flows$/);
    await expectText(page.locator("main h1"), "Flows");
    await expectText(page.locator("main"), "This workspace has no flows yet");
    await expectText(page.getByRole("button", { name: /^Workspace: / }), FIRST_WORKSPACE);
    await shot(page, "flows empty state");

    // Setup is closed now: /setup sends the visitor to sign-in, which sends a signed-in owner straight
    // on to their workspace, so either page may be the one the poll sees.
    await page.goto(`${baseUrl}/setup`);
    await expectPath(page, /^\/(sign-in|w\/[^/]+\/flows)$/);
    shared.set("firstWorkspaceId", workspaceIdFromPath(await gotoFirst(page, baseUrl)));
    shared.set("ownerState", JSON.stringify(await context.storageState()));
  },
);

async function gotoFirst(page: Page, baseUrl: string): Promise<Page> {
  await page.goto(`${baseUrl}/`);
  await expectPath(page, /^\/w\/[^/]+\/flows$/);
  return page;
}

export const secondWorkspaceJourney = journey(
  "the owner creates a second workspace from the switcher; an empty name is refused at the field",
  async ({ baseUrl, newContext, shot, shared }) => {
    const context = await newContext(shared.get("ownerState"));
    const page = await context.newPage();
    await page.goto(`${baseUrl}/`);
    await expectPath(page, /^\/w\/[^/]+\/flows$/);
    await openSwitcher(page);
    await shot(page, "switcher open");
    await page.getByRole("menuitem", { name: "New workspace" }).click();
    await expectPath(page, /^\/workspaces\/new$/);

    await page.getByRole("button", { name: "Create workspace" }).click();
    await expectText(page.locator("#name-error"), /\S/);
    await shot(page, "empty workspace name refused");

    await page.fill("#name", SECOND_WORKSPACE);
    await page.getByRole("button", { name: "Create workspace" }).click();
    await expectPath(page, /^\/w\/[^/]+\/flows$/);
    await expectText(page.getByRole("button", { name: /^Workspace: / }), SECOND_WORKSPACE);
    const secondId = workspaceIdFromPath(page);
    if (secondId === shared.get("firstWorkspaceId")) throw new Error("the new workspace has the first one's id");
    shared.set("secondWorkspaceId", secondId);

    await openSwitcher(page);
    await expectCount(page.locator('[role="menu"] a[href^="/w/"]'), 2);
    await expectText(page.getByRole("menu"), FIRST_WORKSPACE);
    await shot(page, "switcher lists both workspaces");
  },
);

export const phoneJourney = journey(
  "on a phone-sized screen the shell swaps the sidebar for a tab row and keeps the switcher",
  async ({ baseUrl, newContext, shot, shared }) => {
    const context = await newContext(shared.get("ownerState"));
    const page = await context.newPage();
    await page.setViewportSize({ width: 390, height: 844 });
    await page.goto(`${baseUrl}/w/${shared.get("firstWorkspaceId") ?? ""}/flows`);
    const tabs = page.getByRole("navigation", { name: "Workspace sections" });
    await tabs.waitFor();
    if (await page.getByRole("navigation", { name: "Workspace", exact: true }).isVisible()) {
      throw new Error("the sidebar is still shown on a phone-sized screen");
    }
    await tabs.getByRole("link", { name: "Members" }).click();
    await expectPath(page, /\/members$/);
    await expectText(page.locator("main h1"), "Members");
    await expectText(page.getByRole("button", { name: /^Workspace: / }), FIRST_WORKSPACE);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    if (overflow > 0) throw new Error(`the members page is ${overflow}px wider than the screen`);
    await shot(page, "members on a phone");
  },
);
