import { solid, toPng } from "../../flow-engine/src/testing/images";
import { assert, expectText } from "../expect";
import { journey, required } from "../harness";
import { trpc } from "./editor-kit";

/**
 * Needs a colour task with the tiny colour classifier active (the tasks or flow editor journey makes one). Deploys a flow that
 * recognises colours through the product's own API, then does what a developer does: creates a token in
 * the UI, calls the deployed flow over HTTP, and sees the credits fall and the call listed on Usage.
 */
export const apiTokenJourney = journey(
  "the owner creates an API token in the UI, calls the deployed flow with it over HTTP, sees the balance fall and the call on the Usage page, then revokes it",
  async ({ baseUrl, newContext, shot, shared }) => {
    const workspaceId = required(shared, "firstWorkspaceId");
    const context = await newContext(required(shared, "ownerState"));
    const page = await context.newPage();

    const tasks = await trpc<
      { id: string; name: string; type: string; labels: string[]; activeModelVersionId?: string }[]
    >(context.request, baseUrl, "task.list", { workspaceId }, "query");
    // The tiny colour classifier that an earlier journey (tasks or flow editor) uploaded and activated.
    const colours = tasks.find(
      (t) => t.type === "categorization" && t.labels.includes("red") && t.activeModelVersionId !== undefined,
    );
    assert(
      colours !== undefined,
      `no colour task with an active model (the tasks and editor journeys make one): ${JSON.stringify(tasks)}`,
    );
    const flow = await trpc<{ id: string }>(
      context.request,
      baseUrl,
      "flow.create",
      { workspaceId, name: "Colour API" },
      "mutation",
    );
    const graph = {
      schema: 1,
      nodes: [
        { id: "in", action: "core/input@1", config: {}, position: { x: 0, y: 0 } },
        {
          id: "c",
          action: "core/recognition@1",
          config: { task: colours.id, output: "colour" },
          position: { x: 0, y: 120 },
        },
      ],
      edges: [{ id: "e0", source: "in", sourceHandle: "next", target: "c" }],
    };
    await trpc(
      context.request,
      baseUrl,
      "flowVersion.save",
      { workspaceId, flowId: flow.id, graph, message: "e2e", expectedLatestVersion: 0 },
      "mutation",
    );
    await trpc(
      context.request,
      baseUrl,
      "flowVersion.deploy",
      { workspaceId, flowId: flow.id, version: 1 },
      "mutation",
    );

    await page.goto(`${baseUrl}/w/${workspaceId}/usage`);
    const before = Number((await expectText(page.getByTestId("credit-balance"), /\d/)).replace(/\D/g, ""));

    await page.goto(`${baseUrl}/w/${workspaceId}/tokens`);
    await expectText(page.locator("main"), "No API tokens yet");
    await page.fill("#token-name", "E2E client");
    await page.getByRole("button", { name: "Create token" }).click();
    const key = await page.locator("#new-token-key").inputValue({ timeout: 15_000 });
    assert(/^vf_[A-Za-z0-9_-]{43}$/.test(key), `the new key looks wrong: ${key}`);
    await expectText(page.locator('[data-token="E2E client"]'), "never used");
    await shot(page, "token created, key shown once");

    const image = Buffer.from(await toPng(solid(24, 24, [230, 20, 20]))).toString("base64");
    const call = () =>
      fetch(`${baseUrl}/v2/flows/${flow.id}/process`, {
        method: "POST",
        headers: { authorization: `Token ${key}`, "content-type": "application/json" },
        body: JSON.stringify({ records: [{ _id: "e2e", _base64: image }] }),
      });
    const response = await call();
    const body = (await response.json()) as {
      records?: { colour?: { best_label?: { name?: string } } }[];
      statistics?: { credits?: number };
    };
    assert(response.status === 200, `the deployed flow answered ${response.status}: ${JSON.stringify(body)}`);
    assert(body.records?.[0]?.colour?.best_label?.name === "red", `unexpected result ${JSON.stringify(body)}`);
    assert(body.statistics?.credits === 1, `the call cost ${body.statistics?.credits} credits, expected 1`);

    await page.goto(`${baseUrl}/w/${workspaceId}/usage`);
    await expectText(page.getByTestId("credit-balance"), new Intl.NumberFormat("en").format(before - 1));
    await expectText(page.getByRole("table", { name: "Recent requests" }), "Colour API");
    await expectText(page.locator("main"), "E2E client");
    await shot(page, "usage shows the call");

    await page.goto(`${baseUrl}/w/${workspaceId}/tokens`);
    await page.locator('[data-token="E2E client"]').getByRole("button", { name: "Revoke" }).click();
    await page.getByRole("dialog").getByRole("button", { name: "Revoke token" }).click();
    await expectText(page.locator("main"), "No API tokens yet");
    const refused = await call();
    assert(refused.status === 401, `a revoked token was answered ${refused.status}`);
    await shot(page, "token revoked");
  },
);
