import { journey, required } from "../harness";
import { expectCount, expectHidden, expectPath, expectText } from "../expect";
import { MEMBER, OWNER } from "./accounts";

const RENAMED = "Second Lab (renamed)";

export const manageJourney = journey(
  "the owner changes a role, revokes an invitation, renames the workspace and removes the member, who loses access at once",
  async ({ baseUrl, newContext, shot, shared }) => {
    const secondId = required(shared, "secondWorkspaceId");
    const owner = await (await newContext(required(shared, "ownerState"))).newPage();
    await owner.goto(`${baseUrl}/w/${secondId}/members`);
    const memberRow = owner.locator("[data-member]").filter({ hasText: MEMBER.email });
    await memberRow.waitFor();

    await owner.getByLabel(`Role of ${MEMBER.name}`).selectOption("viewer");
    await owner.waitForResponse((response) => response.url().includes("member.updateRole"));
    await owner.reload();
    await expectText(owner.locator("main"), MEMBER.email);
    if ((await owner.getByLabel(`Role of ${MEMBER.name}`).inputValue()) !== "viewer") {
      throw new Error("the role change did not persist");
    }

    await owner.getByRole("button", { name: "Create invitation link" }).click();
    const revokedLink = await owner.locator("#invite-link").inputValue();
    await expectCount(owner.locator("[data-invitation]"), 1);
    await owner.locator("[data-invitation]").getByRole("button", { name: "Revoke" }).click();
    await owner.getByRole("dialog").waitFor();
    await shot(owner, "revoke confirmation");
    await owner.getByRole("button", { name: "Revoke invitation" }).click();
    await expectText(owner.locator("main"), "No pending invitations.");

    const visitor = await (await newContext()).newPage();
    await visitor.goto(revokedLink);
    await expectText(visitor.locator("#invitation-error"), /revoked/);
    await shot(visitor, "revoked invitation refused");

    await owner.goto(`${baseUrl}/w/${secondId}/settings`);
    await owner.fill("#name", "   ");
    await owner.getByRole("button", { name: "Save" }).click();
    await expectText(owner.locator("#name-error"), /\S/);
    await shot(owner, "blank name refused in settings");
    await owner.fill("#name", RENAMED);
    await owner.getByRole("button", { name: "Save" }).click();
    await expectText(owner.getByRole("status").filter({ hasText: "Saved." }), "Saved.");
    await expectText(owner.getByRole("button", { name: /^Workspace: / }), RENAMED);
    await shot(owner, "workspace renamed");

    const member = await (await newContext(required(shared, "memberState"))).newPage();
    await member.goto(`${baseUrl}/w/${secondId}/flows`);
    await expectText(member.getByRole("button", { name: /^Workspace: / }), RENAMED);

    await owner.goto(`${baseUrl}/w/${secondId}/members`);
    await memberRow.getByRole("button", { name: "Remove" }).click();
    await expectText(owner.getByRole("dialog"), MEMBER.email);
    await shot(owner, "remove confirmation");
    await owner.getByRole("button", { name: "Remove member" }).click();
    await expectHidden(memberRow);
    await expectCount(owner.locator("[data-member]"), 1);
    await expectText(owner.locator("[data-member]"), OWNER.email);

    await member.reload();
    await expectText(member.locator("h1"), "Workspace not found");
    await shot(member, "removed member loses access");
    await member.goto(`${baseUrl}/`);
    await expectPath(member, /^\/workspaces\/new$/);
    await expectText(member.locator("main"), "New workspace");
  },
);

export const signInJourney = journey(
  "sign-in refuses a wrong password at the password field, signs in, and signs out from the user menu",
  async ({ baseUrl, newContext, shot }) => {
    const page = await (await newContext()).newPage();
    await page.goto(`${baseUrl}/w/some-workspace/flows`);
    await expectPath(page, /^\/sign-in\?next=/);
    await page.fill("#email", OWNER.email);
    await page.fill("#password", "not-the-password");
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectText(page.locator("#password-error"), /email or the password is wrong/);
    await shot(page, "wrong password refused");

    await page.goto(`${baseUrl}/sign-in`);
    await page.fill("#email", OWNER.email);
    await page.fill("#password", OWNER.password);
    await page.getByRole("button", { name: "Sign in" }).click();
    await expectPath(page, /^\/w\/[^/]+\/flows$/);
    await page.getByRole("button", { name: /^Account: / }).click();
    await shot(page, "user menu");
    await page.getByRole("menuitem", { name: "Sign out" }).click();
    await expectPath(page, /^\/sign-in$/);
    await page.goto(`${baseUrl}/`);
    await expectPath(page, /^\/sign-in$/);
  },
);
