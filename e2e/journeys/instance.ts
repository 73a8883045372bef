import { journey, required } from "../harness";
import { expectHidden, expectPath, expectText } from "../expect";
import { SECOND_WORKSPACE } from "./accounts";

export const operatorJourney = journey(
  "the operator (the owner from setup) grants 3,000,000,000 credits on the Instance page, an amount past the maximum is refused at its field, and sign-up opens and closes",
  async ({ baseUrl, newContext, shot, shared }) => {
    const secondId = required(shared, "secondWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const page = await context.newPage();
    await page.goto(`${baseUrl}/w/${secondId}/usage`);
    await expectText(page.locator("[data-credits-source]"), /granted by the operator of this instance/);
    await page.getByRole("button", { name: /^Account: / }).click();
    await page.getByRole("menuitem", { name: "Instance: plans and credits" }).click();
    await expectPath(page, /^\/instance$/);
    await expectText(page.locator("main h1"), "Instance");
    await expectText(page.locator("#sign-up-state"), /By invitation/);
    await shot(page, "instance page");

    const row = page.locator(`[data-instance-workspace="${SECOND_WORKSPACE}"]`);
    const field = row.getByLabel(`Grant credits to ${SECOND_WORKSPACE}`);
    await field.fill("2,000,000,000,000");
    await row.getByRole("button", { name: "Grant" }).click();
    await expectText(
      page.locator(`#grant-${secondId}-error`),
      "Grant a whole number of credits from 1 to 1,000,000,000,000.",
    );
    await shot(page, "a grant past the maximum refused at its field");

    await field.fill("3,000,000,000");
    await row.getByRole("button", { name: "Grant" }).click();
    await expectText(row.locator("[data-instance-balance]"), /^3,000,00\d,\d{3}$/);
    await expectHidden(page.locator(`#grant-${secondId}-error`));
    await shot(page, "3,000,000,000 credits granted");

    await page.getByRole("button", { name: "Open sign-up to everyone" }).click();
    await expectText(page.locator("#sign-up-state"), /Open: anyone/);
    await page.getByRole("button", { name: "Close sign-up (invitation only)" }).click();
    await expectText(page.locator("#sign-up-state"), /By invitation/);

    await page.goto(`${baseUrl}/w/${secondId}/usage`);
    await expectText(page.getByTestId("credit-balance"), /^3,000,00\d,\d{3}$/);
    await shot(page, "the workspace's usage page shows the grant");
  },
);
