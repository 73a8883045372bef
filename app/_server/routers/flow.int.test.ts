import { TRPCError } from "@trpc/server";
import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, signUp, type TestServices, type TestUser } from "../testing";

let services: TestServices;
let alice: TestUser;
let viewer: TestUser;
let workspaceId: string;
let taskId: string;

beforeAll(async () => {
  services = await createTestServices();
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Flows" })).id;
  viewer = await signUp(services, "Viewer");
  const { url } = await alice.caller.invitation.create({ workspaceId, role: "viewer" });
  await viewer.caller.invitation.accept({ token: url.slice("/invite/".length) });
  taskId = (
    await alice.caller.task.create({ workspaceId, name: "Animals", type: "categorization", labels: ["cat", "dog"] })
  ).id;
});
afterAll(() => services.close());

function withRecognition(output: string | undefined, extra: Record<string, unknown> = {}): FlowGraph {
  return {
    schema: 1,
    nodes: [
      { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
      {
        id: "kind",
        action: "core/recognition@1",
        config: { task: taskId, ...(output === undefined ? {} : { output }), ...extra },
        position: { x: 0, y: 120 },
      },
    ],
    edges: [{ id: "e1", source: "input", sourceHandle: "next", target: "kind" }],
  };
}

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

describe("flows list", () => {
  test("a new flow opens on the input node; rename, duplicate (with the draft) and delete show in the list", async () => {
    const { id } = await alice.caller.flow.create({ workspaceId, name: "Sorter" });
    const draft = await alice.caller.flow.draft({ workspaceId, flowId: id });
    expect((draft.graph).nodes.map((n) => n.action)).toEqual([INPUT_ACTION]);
    expect(draft.baseVersion).toBeUndefined();

    await alice.caller.flow.saveDraft({ workspaceId, flowId: id, graph: withRecognition("kind") });
    await alice.caller.flow.rename({ workspaceId, flowId: id, name: "Animal sorter" });
    const copy = await alice.caller.flow.duplicate({ workspaceId, flowId: id, name: "Animal sorter (copy)" });
    const copied = await alice.caller.flow.draft({ workspaceId, flowId: copy.id });
    expect((copied.graph).nodes.map((n) => n.id)).toEqual(["input", "kind"]);

    const names = (await alice.caller.flow.list({ workspaceId, search: "sorter" })).map((f) => f.name);
    expect(names.sort()).toEqual(["Animal sorter", "Animal sorter (copy)"]);
    await alice.caller.flow.delete({ workspaceId, flowId: copy.id });
    expect((await alice.caller.flow.list({ workspaceId })).map((f) => f.name)).not.toContain("Animal sorter (copy)");
  });

  test("a name already taken is refused at the name field", async () => {
    await alice.caller.flow.create({ workspaceId, name: "Twin" });
    const error = await refusal(alice.caller.flow.create({ workspaceId, name: "Twin" }));
    expect(error.code).toBe("CONFLICT");
    expect(error.message).toMatch(/already exists/);
  });
});

describe("editor checks", () => {
  test("the shared validator reports a missing output on its node and computes Branch Selector handles", async () => {
    const { id } = await alice.caller.flow.create({ workspaceId, name: "Checked" });
    const graph = withRecognition(undefined);
    graph.nodes.push({
      id: "branch",
      action: "core/branch-selector@1",
      config: { task: taskId, branches: ["cat"] },
      position: { x: 0, y: 240 },
    });
    graph.edges.push({ id: "e2", source: "kind", sourceHandle: "next", target: "branch" });
    const result = await alice.caller.flowEditor.check({ workspaceId, flowId: id, graph });
    expect(result.problems).toEqual([expect.objectContaining({ code: "invalid_config", nodeId: "kind" })]);
    expect(result.shapes.branch?.handles.map((h) => h.id)).toEqual(["branch:cat", "else"]);
  });
});

describe("versions", () => {
  test("saves number versions; a stale save is a conflict that saves nothing; restore and deploy", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Versioned" });
    const v1 = await alice.caller.flowVersion.save({
      workspaceId,
      flowId,
      graph: withRecognition("kind"),
      message: "first",
      expectedLatestVersion: 0,
    });
    expect(v1.version).toBe(1);

    // Another editor still on "no version yet" saves: refused, and version 1 is untouched.
    const stale = await refusal(
      alice.caller.flowVersion.save({
        workspaceId,
        flowId,
        graph: withRecognition("other"),
        message: "stale",
        expectedLatestVersion: 0,
      }),
    );
    expect(stale.code).toBe("CONFLICT");
    expect(stale.message).toMatch(/save on top of version 1/);
    const versions = await alice.caller.flowVersion.list({ workspaceId, flowId });
    expect(versions.map((v) => [v.version, v.message, v.authorName])).toEqual([[1, "first", "Alice"]]);

    const v2 = await alice.caller.flowVersion.save({
      workspaceId,
      flowId,
      graph: withRecognition("kind", { threshold: 0.8 }),
      message: "on top",
      expectedLatestVersion: 1,
    });
    expect(v2.version).toBe(2);

    const v3 = await alice.caller.flowVersion.restore({ workspaceId, flowId, version: 1, expectedLatestVersion: 2 });
    expect(v3).toMatchObject({ version: 3, message: "Restored version 1" });
    const restored = await alice.caller.flowVersion.get({ workspaceId, flowId, version: 3 });
    expect(restored.graph).toEqual(withRecognition("kind"));
    const draft = await alice.caller.flow.draft({ workspaceId, flowId });
    expect(draft).toMatchObject({ baseVersion: 3, graph: withRecognition("kind") });

    await alice.caller.flowVersion.deploy({ workspaceId, flowId, version: 3 });
    expect((await alice.caller.flow.get({ workspaceId, flowId })).deployedVersion).toBe(3);
  });

  test("an invalid graph is not saved as a version, and the refusal names the problem", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Broken" });
    const error = await refusal(
      alice.caller.flowVersion.save({
        workspaceId,
        flowId,
        graph: withRecognition(undefined),
        message: "",
        expectedLatestVersion: 0,
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/output/);
    expect(await alice.caller.flowVersion.list({ workspaceId, flowId })).toEqual([]);
  });

  test("a viewer can open versions but not save one", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Read only" });
    const error = await refusal(
      viewer.caller.flowVersion.save({
        workspaceId,
        flowId,
        graph: withRecognition("kind"),
        message: "",
        expectedLatestVersion: 0,
      }),
    );
    expect(error.code).toBe("FORBIDDEN");
    expect(await viewer.caller.flowVersion.list({ workspaceId, flowId })).toEqual([]);
  });
});
