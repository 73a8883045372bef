import { TRPCError } from "@trpc/server";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import {
  callerFor,
  createTestServices,
  httpCall,
  signUp,
  type Caller,
  type TestServices,
  type TestUser,
} from "../testing";
import { appRouter } from "./_app";

let services: TestServices;
let alice: TestUser; // owner of A
let bob: TestUser; // owner of B
let workspaceA: string;
let workspaceB: string;
let invitationB: string;
let flowB: string;
let tokenB: string;
let taskB: string;

/** A valid graph: the root alone. */
const inputOnly = {
  schema: 1,
  nodes: [{ id: "input", action: "core/input@1", config: {}, position: { x: 0, y: 0 } }],
  edges: [],
};
// A 1x1 PNG, enough for a test run to get past input validation.
const onePixelPng = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==";

beforeAll(async () => {
  services = await createTestServices();
  [alice, bob] = [await signUp(services, "Alice"), await signUp(services, "Bob")];
  workspaceA = (await alice.caller.workspace.create({ name: "Alpha" })).id;
  workspaceB = (await bob.caller.workspace.create({ name: "Bravo" })).id;
  invitationB = (await bob.caller.invitation.create({ workspaceId: workspaceB, role: "editor" })).id;
  flowB = (await bob.caller.flow.create({ workspaceId: workspaceB, name: "Bravo flow" })).id;
  await bob.caller.flowVersion.save({
    workspaceId: workspaceB,
    flowId: flowB,
    graph: inputOnly,
    message: "first",
    expectedLatestVersion: 0,
  });
  tokenB = (await bob.caller.apiToken.create({ workspaceId: workspaceB, name: "Bravo key" })).id;
  taskB = (await bob.caller.task.create({ workspaceId: workspaceB, name: "Bravo task", type: "categorization" })).id;
});
afterAll(() => services.close());

async function refusal(call: Promise<unknown>): Promise<TRPCError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a TRPCError, got ${String(error)}`);
  return error;
}

async function joinAs(role: "admin" | "editor" | "viewer", workspaceId = workspaceA): Promise<TestUser> {
  const user = await signUp(services, role);
  const { url } = await alice.caller.invitation.create({ workspaceId, role });
  await user.caller.invitation.accept({ token: url.slice("/invite/".length) });
  return user;
}

/** Every procedure that acts on one workspace, called on `workspaceId` with otherwise valid input. */
function workspaceCalls(
  caller: Caller,
  workspaceId: string,
  ids: { userId: string; invitationId: string; flowId?: string; tokenId?: string; taskId?: string },
): Record<string, () => Promise<unknown>> {
  const flowId = ids.flowId ?? "no-flow";
  const tokenId = ids.tokenId ?? "no-token";
  const taskId = ids.taskId ?? "no-task";
  const imageIds = ["no-image"];
  return {
    "workspace.get": () => caller.workspace.get({ workspaceId }),
    "workspace.rename": () => caller.workspace.rename({ workspaceId, name: "Renamed" }),
    "member.list": () => caller.member.list({ workspaceId }),
    "member.updateRole": () => caller.member.updateRole({ workspaceId, userId: ids.userId, role: "viewer" }),
    "member.remove": () => caller.member.remove({ workspaceId, userId: ids.userId }),
    "invitation.create": () => caller.invitation.create({ workspaceId, role: "viewer" }),
    "invitation.list": () => caller.invitation.list({ workspaceId }),
    "invitation.revoke": () => caller.invitation.revoke({ workspaceId, invitationId: ids.invitationId }),
    "apiToken.list": () => caller.apiToken.list({ workspaceId }),
    "apiToken.create": () => caller.apiToken.create({ workspaceId, name: "Intruder" }),
    "apiToken.revoke": () => caller.apiToken.revoke({ workspaceId, tokenId }),
    "usage.summary": () => caller.usage.summary({ workspaceId }),
    "flow.list": () => caller.flow.list({ workspaceId }),
    "flow.get": () => caller.flow.get({ workspaceId, flowId }),
    "flow.create": () => caller.flow.create({ workspaceId, name: "Intruder flow" }),
    "flow.rename": () => caller.flow.rename({ workspaceId, flowId, name: "Renamed flow" }),
    "flow.duplicate": () => caller.flow.duplicate({ workspaceId, flowId, name: "Copied flow" }),
    "flow.delete": () => caller.flow.delete({ workspaceId, flowId }),
    "flow.draft": () => caller.flow.draft({ workspaceId, flowId }),
    "flow.saveDraft": () => caller.flow.saveDraft({ workspaceId, flowId, graph: inputOnly }),
    "flowEditor.palette": () => caller.flowEditor.palette({ workspaceId }),
    "flowEditor.catalog": () => caller.flowEditor.catalog({ workspaceId }),
    "flowEditor.check": () => caller.flowEditor.check({ workspaceId, flowId, graph: inputOnly }),
    "flowEditor.fields": () => caller.flowEditor.fields({ workspaceId, flowId, graph: inputOnly, nodeId: "input" }),
    "flowEditor.testRun": () =>
      caller.flowEditor.testRun({ workspaceId, flowId, graph: inputOnly, image: onePixelPng }),
    "flowEditor.testBatch": () =>
      caller.flowEditor.testBatch({ workspaceId, flowId, graph: inputOnly, images: [onePixelPng] }),
    "flowVersion.list": () => caller.flowVersion.list({ workspaceId, flowId }),
    "flowVersion.get": () => caller.flowVersion.get({ workspaceId, flowId, version: 1 }),
    "flowVersion.save": () =>
      caller.flowVersion.save({ workspaceId, flowId, graph: inputOnly, message: "", expectedLatestVersion: 1 }),
    "flowVersion.restore": () => caller.flowVersion.restore({ workspaceId, flowId, version: 1 }),
    "flowVersion.deploy": () => caller.flowVersion.deploy({ workspaceId, flowId, version: 1 }),
    "flowTransfer.export": () => caller.flowTransfer.export({ workspaceId, flowId, version: 1 }),
    "flowTransfer.previewImport": () => caller.flowTransfer.previewImport({ workspaceId, file: {} }),
    "flowTransfer.import": () => caller.flowTransfer.import({ workspaceId, file: {}, name: "Intruder import" }),
    "flowTransfer.templates": () => caller.flowTransfer.templates({ workspaceId }),
    "flowTransfer.createFromTemplate": () =>
      caller.flowTransfer.createFromTemplate({ workspaceId, templateId: "document-ocr", name: "Intruder template" }),
    "flowTransfer.responseSchema": () => caller.flowTransfer.responseSchema({ workspaceId, flowId }),
    "trainingSet.list": () => caller.trainingSet.list({ workspaceId, taskId }),
    "trainingSet.get": () => caller.trainingSet.get({ workspaceId, taskId, imageIds }),
    "trainingSet.counts": () => caller.trainingSet.counts({ workspaceId, taskId }),
    "trainingSet.setAnnotation": () =>
      caller.trainingSet.setAnnotation({ workspaceId, taskId, imageId: "no-image", annotation: null }),
    "trainingSet.bulk": () => caller.trainingSet.bulk({ workspaceId, taskId, imageIds, action: { kind: "delete" } }),
    "trainingSet.confirm": () => caller.trainingSet.confirm({ workspaceId, taskId, imageIds }),
    "trainingSet.rejectProposals": () => caller.trainingSet.rejectProposals({ workspaceId, taskId, imageIds }),
    "trainingSet.setChecksRequired": () =>
      caller.trainingSet.setChecksRequired({ workspaceId, taskId, checksRequired: 2 }),
    "trainingSet.createJobs": () =>
      caller.trainingSet.createJobs({ workspaceId, taskId, assignees: [ids.userId || "no-user"] }),
    "trainingSet.jobs": () => caller.trainingSet.jobs({ workspaceId, taskId }),
    "trainingSet.myQueue": () => caller.trainingSet.myQueue({ workspaceId, taskId }),
    "trainingSet.preannotationModels": () => caller.trainingSet.preannotationModels({ workspaceId, taskId }),
    "trainingSet.preannotate": () =>
      caller.trainingSet.preannotate({ workspaceId, taskId, modelVersionId: "no-model", imageIds }),
    "trainingSet.preannotationRun": () => caller.trainingSet.preannotationRun({ workspaceId, runId: "no-run" }),
    "trainingSet.cancelPreannotation": () => caller.trainingSet.cancelPreannotation({ workspaceId, runId: "no-run" }),
  };
}

/** Workspace procedures whose isolation is checked router by router in their own test files. */
const ISOLATION_TESTED_ELSEWHERE = [
  "task.", // task.int.test.ts: every task, model version and evaluation procedure and the upload route
  "modelVersion.",
  "evaluation.",
  // instance.int.test.ts: plans and credit grants of any workspace are the instance operator's alone
  "instance.",
];

const NOT_WORKSPACE_SCOPED = [
  "setup.status",
  "setup.complete",
  "workspace.list",
  "workspace.create",
  "invitation.get",
  "invitation.accept",
  "plugin.describe", // the instance's installed plugins, the same for every signed-in user
  "plugin.nodeFacts",
  "plugin.disabled", // the instance's plugins refused at start, the same for every signed-in user
];

describe("isolation between workspaces", () => {
  test("the isolation check covers every workspace procedure of the router", () => {
    const all = Object.keys(appRouter._def.procedures)
      .filter((name) => !ISOLATION_TESTED_ELSEWHERE.some((prefix) => name.startsWith(prefix)))
      .sort();
    const covered = Object.keys(workspaceCalls(alice.caller, workspaceB, { userId: "", invitationId: "" }));
    expect([...covered, ...NOT_WORKSPACE_SCOPED].sort()).toEqual(all);
  });

  test("a member of A gets NOT_FOUND for every read and write of B, and B is unchanged", async () => {
    const calls = workspaceCalls(alice.caller, workspaceB, {
      userId: bob.id,
      invitationId: invitationB,
      flowId: flowB,
      tokenId: tokenB,
      taskId: taskB,
    });
    for (const [name, call] of Object.entries(calls)) {
      const error = await refusal(call());
      expect({ name, code: error.code, message: error.message }).toEqual({
        name,
        code: "NOT_FOUND",
        message: "workspace not found",
      });
    }
    await expect(bob.caller.workspace.get({ workspaceId: workspaceB })).resolves.toMatchObject({ name: "Bravo" });
    await expect(bob.caller.member.list({ workspaceId: workspaceB })).resolves.toEqual([
      expect.objectContaining({ userId: bob.id, role: "owner" }),
    ]);
    await expect(bob.caller.invitation.list({ workspaceId: workspaceB })).resolves.toEqual([
      expect.objectContaining({ id: invitationB }),
    ]);
    await expect(bob.caller.flow.list({ workspaceId: workspaceB })).resolves.toEqual([
      expect.objectContaining({ id: flowB, name: "Bravo flow", latestVersion: 1 }),
    ]);
    await expect(bob.caller.flowVersion.list({ workspaceId: workspaceB, flowId: flowB })).resolves.toHaveLength(1);
    await expect(bob.caller.apiToken.list({ workspaceId: workspaceB })).resolves.toEqual([
      expect.objectContaining({ id: tokenB, name: "Bravo key" }),
    ]);
    await expect(bob.caller.trainingSet.jobs({ workspaceId: workspaceB, taskId: taskB })).resolves.toEqual([]);
  });

  test("A's own ids cannot reach B's flow or token", async () => {
    expect((await refusal(alice.caller.flow.get({ workspaceId: workspaceA, flowId: flowB }))).code).toBe("NOT_FOUND");
    const revoke = await refusal(alice.caller.apiToken.revoke({ workspaceId: workspaceA, tokenId: tokenB }));
    expect(revoke.code).toBe("NOT_FOUND");
    await expect(bob.caller.apiToken.list({ workspaceId: workspaceB })).resolves.toEqual([
      expect.objectContaining({ id: tokenB, name: "Bravo key" }),
    ]);
  });

  test("a workspace id that does not exist looks exactly like someone else's", async () => {
    const error = await refusal(alice.caller.workspace.get({ workspaceId: "no-such-workspace" }));
    expect([error.code, error.message]).toEqual(["NOT_FOUND", "workspace not found"]);
  });

  test("B's members and invitations cannot be reached through A's id", async () => {
    const error = await refusal(alice.caller.invitation.revoke({ workspaceId: workspaceA, invitationId: invitationB }));
    expect(error.code).toBe("NOT_FOUND");
    const removal = await refusal(alice.caller.member.remove({ workspaceId: workspaceA, userId: bob.id }));
    expect(removal.code).toBe("NOT_FOUND");
    await expect(bob.caller.invitation.list({ workspaceId: workspaceB })).resolves.toHaveLength(1);
  });

  test("signed-out callers get UNAUTHORIZED", async () => {
    const anonymous = await callerFor(services);
    expect((await refusal(anonymous.workspace.list())).code).toBe("UNAUTHORIZED");
    const calls = workspaceCalls(anonymous, workspaceA, { userId: alice.id, invitationId: invitationB });
    for (const [name, call] of Object.entries(calls)) {
      expect({ name, code: (await refusal(call())).code }).toEqual({ name, code: "UNAUTHORIZED" });
    }
  });
});

describe("roles", () => {
  test("a viewer can read but every mutation is FORBIDDEN, and nothing changes", async () => {
    const viewer = await joinAs("viewer");
    await expect(viewer.caller.workspace.get({ workspaceId: workspaceA })).resolves.toMatchObject({ role: "viewer" });
    await expect(viewer.caller.member.list({ workspaceId: workspaceA })).resolves.not.toHaveLength(0);

    const pending = await alice.caller.invitation.create({ workspaceId: workspaceA, role: "viewer" });
    const calls = workspaceCalls(viewer.caller, workspaceA, { userId: alice.id, invitationId: pending.id });
    for (const name of [
      "workspace.rename",
      "member.updateRole",
      "member.remove",
      "invitation.create",
      "invitation.list",
      "invitation.revoke",
    ]) {
      const error = await refusal(calls[name]!());
      expect({ name, code: error.code }).toEqual({ name, code: "FORBIDDEN" });
    }
    await expect(alice.caller.workspace.get({ workspaceId: workspaceA })).resolves.toMatchObject({ name: "Alpha" });
    await expect(alice.caller.member.list({ workspaceId: workspaceA })).resolves.toContainEqual(
      expect.objectContaining({ userId: alice.id, role: "owner" }),
    );
    const invitations = await alice.caller.invitation.list({ workspaceId: workspaceA });
    expect(invitations.map((i) => i.id)).toContain(pending.id);
  });

  test("an admin manages members but cannot touch an owner or make one", async () => {
    const admin = await joinAs("admin");
    const editor = await joinAs("editor");
    await expect(
      admin.caller.member.updateRole({ workspaceId: workspaceA, userId: editor.id, role: "viewer" }),
    ).resolves.toEqual({ userId: editor.id, role: "viewer" });
    const promote = await refusal(
      admin.caller.member.updateRole({ workspaceId: workspaceA, userId: editor.id, role: "owner" }),
    );
    expect(promote.code).toBe("FORBIDDEN");
    const demote = await refusal(
      admin.caller.member.updateRole({ workspaceId: workspaceA, userId: alice.id, role: "admin" }),
    );
    expect(demote.code).toBe("FORBIDDEN");
    expect((await refusal(admin.caller.member.remove({ workspaceId: workspaceA, userId: alice.id }))).code).toBe(
      "FORBIDDEN",
    );
    expect((await refusal(admin.caller.invitation.create({ workspaceId: workspaceA, role: "owner" }))).code).toBe(
      "FORBIDDEN",
    );
    await expect(admin.caller.workspace.rename({ workspaceId: workspaceA, name: " Alpha " })).resolves.toEqual({
      id: workspaceA,
      name: "Alpha",
    });
  });

  test("the last owner can be neither demoted nor removed; with a second owner they can leave", async () => {
    const demote = await refusal(
      alice.caller.member.updateRole({ workspaceId: workspaceA, userId: alice.id, role: "admin" }),
    );
    expect([demote.code, demote.message]).toEqual(["BAD_REQUEST", expect.stringMatching(/last owner/)]);
    const leave = await refusal(alice.caller.member.remove({ workspaceId: workspaceA, userId: alice.id }));
    expect(leave.code).toBe("BAD_REQUEST");

    const workspace = (await bob.caller.workspace.create({ name: "Shared" })).id;
    const { url } = await bob.caller.invitation.create({ workspaceId: workspace, role: "owner" });
    await alice.caller.invitation.accept({ token: url.slice("/invite/".length) });
    await bob.caller.member.remove({ workspaceId: workspace, userId: bob.id });
    expect((await refusal(bob.caller.workspace.get({ workspaceId: workspace }))).code).toBe("NOT_FOUND");
    await expect(alice.caller.member.list({ workspaceId: workspace })).resolves.toEqual([
      expect.objectContaining({ userId: alice.id, role: "owner" }),
    ]);
  });
});

describe("removal", () => {
  test("a removed member loses access at once, with the same caller and session", async () => {
    const editor = await joinAs("editor");
    await expect(editor.caller.workspace.get({ workspaceId: workspaceA })).resolves.toMatchObject({ role: "editor" });
    await alice.caller.member.remove({ workspaceId: workspaceA, userId: editor.id });
    expect((await refusal(editor.caller.workspace.get({ workspaceId: workspaceA }))).code).toBe("NOT_FOUND");
    expect((await refusal(editor.caller.member.list({ workspaceId: workspaceA }))).code).toBe("NOT_FOUND");
    await expect(editor.caller.workspace.list()).resolves.toEqual([]);
  });

  test("a member may leave on their own, whatever their role", async () => {
    const viewer = await joinAs("viewer");
    await expect(viewer.caller.member.remove({ workspaceId: workspaceA, userId: viewer.id })).resolves.toEqual({
      userId: viewer.id,
    });
    await expect(viewer.caller.workspace.list()).resolves.toEqual([]);
  });
});

describe("workspaces", () => {
  test("an empty name is refused on the name field and creates nothing", async () => {
    const before = await alice.caller.workspace.list();
    const { status, body } = await httpCall(services, "workspace.create", { name: "   " }, { headers: alice.headers });
    expect(status).toBe(400);
    expect(body).toMatchObject({
      error: { message: "Enter a workspace name.", data: { fieldErrors: { name: ["Enter a workspace name."] } } },
    });
    await expect(alice.caller.workspace.list()).resolves.toEqual(before);
    const rename = await refusal(alice.caller.workspace.rename({ workspaceId: workspaceA, name: "" }));
    expect(rename.code).toBe("BAD_REQUEST");
    await expect(alice.caller.workspace.get({ workspaceId: workspaceA })).resolves.toMatchObject({ name: "Alpha" });
  });

  test("list shows the caller's workspaces with their role, oldest first", async () => {
    const carol = await signUp(services, "Carol");
    const first = await carol.caller.workspace.create({ name: "First" });
    const second = await carol.caller.workspace.create({ name: "Second" });
    await expect(carol.caller.workspace.list()).resolves.toEqual([
      { id: first.id, name: "First", role: "owner" },
      { id: second.id, name: "Second", role: "owner" },
    ]);
  });
});
