import { journey, required } from "../harness";
import { assert, expectCount, expectHidden, expectPath, expectText } from "../expect";
import { MEMBER, OWNER, SECOND_WORKSPACE } from "./accounts";
import { openSwitcher } from "./setup-and-workspaces";

export const inviteJourney = journey(
  "the owner invites a member by link and copies it from the page",
  async ({ baseUrl, newContext, shot, shared }) => {
    const secondId = required(shared, "secondWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const page = await context.newPage();
    await page.goto(`${baseUrl}/w/${secondId}/members`);
    await expectText(page.locator("main h1"), "Members");
    await expectText(page.locator("[data-member]"), OWNER.email);
    await shot(page, "members page");

    await page.selectOption("#invite-role", "editor");
    await page.getByRole("button", { name: "Create invitation link" }).click();
    const linkField = page.locator("#invite-link");
    await linkField.waitFor();
    await page.getByRole("button", { name: "Copy link" }).click();
    await expectText(page.getByRole("button", { name: "Copied" }), "Copied");
    const copied = await page.evaluate(() => navigator.clipboard.readText());
    const shown = await linkField.inputValue();
    assert(copied === shown, `the clipboard holds ${JSON.stringify(copied)}, the page shows ${JSON.stringify(shown)}`);
    assert(new URL(copied).pathname.startsWith("/invite/"), `not an invitation link: ${copied}`);
    await expectCount(page.locator("[data-invitation]"), 1);
    await shot(page, "invitation link shown and copied");
    shared.set("invitationLink", copied);
  },
);

export const acceptJourney = journey(
  "the member signs up through the link (duplicate email and weak password refused at their fields), joins with it, and sees only that workspace",
  async ({ baseUrl, newContext, shot, shared }) => {
    const link = required(shared, "invitationLink");
    const secondId = required(shared, "secondWorkspaceId");
    const firstId = required(shared, "firstWorkspaceId");
    const context = await newContext();
    const page = await context.newPage();
    // Without an invitation, sign-up says it is by invitation and offers no form.
    await page.goto(`${baseUrl}/sign-up`);
    await expectText(page.locator("#sign-up-closed"), /come with an invitation/);
    await expectHidden(page.locator("#email"));
    await shot(page, "sign-up without an invitation");

    await page.goto(link);
    await expectText(page.locator("main"), SECOND_WORKSPACE);
    await expectText(page.locator("main"), "Editor");
    await shot(page, "invitation seen signed out");

    await page.getByRole("link", { name: "Create account" }).click();
    await expectPath(page, /^\/sign-up\?invite=/);
    await expectText(page.locator("main"), `You were invited to join ${SECOND_WORKSPACE}`);
    await page.fill("#name", MEMBER.name);
    await page.fill("#email", OWNER.email);
    await page.fill("#password", MEMBER.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expectText(page.locator("#email-error"), /already exists/);
    await shot(page, "duplicate email refused");

    await page.fill("#email", MEMBER.email);
    await page.fill("#password", "tooshort");
    await page.getByRole("button", { name: "Create account" }).click();
    await expectText(page.locator("#password-error"), /at least 10 characters/);
    await expectHidden(page.locator("#email-error"));
    await shot(page, "weak password refused");

    // After setup accounts come by invitation: the account is created with the link, which it spends,
    // so the new member lands in the workspace without a second step.
    await page.fill("#password", MEMBER.password);
    await page.getByRole("button", { name: "Create account" }).click();
    await expectPath(page, new RegExp(`^/w/${secondId}/flows$`));
    await expectText(page.getByRole("button", { name: /^Workspace: / }), SECOND_WORKSPACE);

    await openSwitcher(page);
    await expectCount(page.locator('[role="menu"] a[href^="/w/"]'), 1);
    await expectText(page.locator('[role="menu"] a[href^="/w/"]'), SECOND_WORKSPACE);
    await shot(page, "member sees only the workspace they joined");

    await page.goto(`${baseUrl}/w/${firstId}/flows`);
    await expectText(page.locator("h1"), "Workspace not found");
    await shot(page, "other workspace is not found");

    await page.goto(`${baseUrl}/w/${secondId}/members`);
    await expectText(page.locator("[data-member]").filter({ hasText: MEMBER.email }), "Editor");
    await expectHidden(page.getByRole("button", { name: "Create invitation link" }));
    await shot(page, "editor sees members without invite controls");
    shared.set("memberState", JSON.stringify(await context.storageState()));
  },
);

export const reusedInvitationJourney = journey(
  "a used invitation link says so and offers no way to accept",
  async ({ newContext, shot, shared }) => {
    const context = await newContext();
    const page = await context.newPage();
    await page.goto(required(shared, "invitationLink"));
    await expectText(page.locator("#invitation-error"), /already been used/);
    await expectHidden(page.getByRole("link", { name: "Create account" }));
    await shot(page, "used invitation refused");
  },
);
