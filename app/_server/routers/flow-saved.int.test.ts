import { TRPCError } from "@trpc/server";
import { jsonb } from "@vizflow/db";
import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { createTestServices, httpCall, signUp, type TestServices, type TestUser } from "../testing";

// Only valid data is saved: drafts are checked for shape, every saved string has a limit, requests have a
// body limit, and flows cannot nest deeper than the engine runs them.

let services: TestServices;
let alice: TestUser;
let workspaceId: string;
let taskId: string;

beforeAll(async () => {
  services = await createTestServices();
  alice = await signUp(services, "Alice");
  workspaceId = (await alice.caller.workspace.create({ name: "Saved" })).id;
  taskId = (
    await alice.caller.task.create({ workspaceId, name: "Animals", type: "categorization", labels: ["cat", "dog"] })
  ).id;
});
afterAll(() => services.close());

function recognition(extra: { label?: string; output?: string } = {}): FlowGraph {
  return {
    schema: 1,
    nodes: [
      { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
      {
        id: "kind",
        action: "core/recognition@1",
        config: { task: taskId, output: extra.output ?? "kind" },
        position: { x: 0, y: 120 },
        ...(extra.label === undefined ? {} : { label: extra.label }),
      },
    ],
    edges: [{ id: "e1", source: "input", sourceHandle: "next", target: "kind" }],
  };
}

function nesting(flowId: string, version: number | "deployed"): FlowGraph {
  return {
    schema: 1,
    nodes: [
      { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
      { id: "nest", action: "core/nested-flow@1", config: { flow: flowId, version }, position: { x: 0, y: 120 } },
    ],
    edges: [{ id: "e1", source: "input", sourceHandle: "next", target: "nest" }],
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

async function saveVersion(flowId: string, graph: unknown, expectedLatestVersion = 0) {
  return alice.caller.flowVersion.save({ workspaceId, flowId, graph, message: "", expectedLatestVersion });
}

describe("drafts", () => {
  test("a malformed draft is refused with a message naming each field, and the stored draft is kept", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Malformed" });
    await alice.caller.flow.saveDraft({ workspaceId, flowId, graph: recognition() });
    const error = await refusal(
      alice.caller.flow.saveDraft({ workspaceId, flowId, graph: { nodes: [{ id: 1 }], edges: "not an array" } }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toMatch(/^The draft was not saved: schema: is missing\./);
    expect(error.message).toContain("nodes/0/id: must be a string.");
    const draft = await alice.caller.flow.draft({ workspaceId, flowId });
    expect(draft.graph).toEqual(recognition());
    expect(draft.notice).toBeUndefined();
  });

  test("a draft with semantic problems is saved (the editor shows them), but not as a version", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Half built" });
    const unfinished = recognition({ output: "" });
    await alice.caller.flow.saveDraft({ workspaceId, flowId, graph: unfinished });
    expect((await alice.caller.flow.draft({ workspaceId, flowId })).graph).toEqual(unfinished);
    const error = await refusal(saveVersion(flowId, unfinished));
    expect(error.message).toMatch(/setting "output": name the output field\./);
  });

  test("an unreadable stored draft opens the latest version with a notice, or a new graph", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Unreadable" });
    await saveVersion(flowId, recognition());
    const broken = { nodes: [{ id: 1 }], edges: "not an array" };
    await services.database.db
      .updateTable("flow_draft")
      .set({ graph: jsonb(broken) })
      .where("flow_id", "=", flowId)
      .execute();

    const opened = await alice.caller.flow.draft({ workspaceId, flowId });
    expect(opened.graph).toEqual(recognition());
    expect(opened.baseVersion).toBe(1);
    expect(opened.notice).toMatch(
      /^The autosaved draft could not be read \(schema: is missing\. nodes\/0\/action: is missing\.\)/,
    );
    expect(opened.notice).toMatch(/version 1, the latest, is open instead\.$/);
    // Duplicating copies what opens, not the unreadable draft.
    const copy = await alice.caller.flow.duplicate({ workspaceId, flowId, name: "Unreadable (copy)" });
    expect((await alice.caller.flow.draft({ workspaceId, flowId: copy.id })).graph).toEqual(recognition());

    const { id: fresh } = await alice.caller.flow.create({ workspaceId, name: "Unreadable, never saved" });
    await services.database.db
      .updateTable("flow_draft")
      .set({ graph: jsonb("nope") })
      .where("flow_id", "=", fresh)
      .execute();
    const empty = await alice.caller.flow.draft({ workspaceId, flowId: fresh });
    expect((empty.graph).nodes.map((n) => n.action)).toEqual([INPUT_ACTION]);
    expect(empty.notice).toMatch(/a new graph is open instead \(this flow has no saved version\)/);

    // The next autosave replaces it, and the notice goes.
    await alice.caller.flow.saveDraft({ workspaceId, flowId: fresh, graph: recognition() });
    expect((await alice.caller.flow.draft({ workspaceId, flowId: fresh })).notice).toBeUndefined();
  });
});

describe("limits on saved strings", () => {
  test("a 1 MB node label is refused as a version and as a draft, naming the field and the limit", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Long label" });
    const graph = recognition({ label: "x".repeat(1_000_000) });
    const version = await refusal(saveVersion(flowId, graph));
    expect(version.code).toBe("BAD_REQUEST");
    expect(version.message).toContain("nodes/1/label: at most 200 characters.");
    expect(await alice.caller.flowVersion.list({ workspaceId, flowId })).toEqual([]);
    const draft = await refusal(alice.caller.flow.saveDraft({ workspaceId, flowId, graph }));
    expect(draft.message).toBe("The draft was not saved: nodes/1/label: at most 200 characters.");
    // At the limit it is fine.
    expect((await saveVersion(flowId, recognition({ label: "x".repeat(200) }))).version).toBe(1);
  });

  test("ids, handles, config strings and flow names have limits too", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Limits" });
    const graph = recognition({ output: "o".repeat(2_001) });
    graph.nodes[0]!.id = "i".repeat(101);
    graph.edges[0]!.sourceHandle = "h".repeat(301);
    const error = await refusal(alice.caller.flow.saveDraft({ workspaceId, flowId, graph }));
    expect(error.message).toBe(
      "The draft was not saved: nodes/0/id: at most 100 characters. edges/0/sourceHandle: at most 300 characters. " +
        "nodes/1/config/output: at most 2,000 characters.",
    );
    const name = await refusal(alice.caller.flow.create({ workspaceId, name: "n".repeat(101) }));
    expect(name.message).toMatch(/at most 100 characters for the flow name/);
  });

  test("a 20 MB request is refused with 413 before it is read; an image test run may be larger", async () => {
    const { id: flowId } = await alice.caller.flow.create({ workspaceId, name: "Huge" });
    const graph = recognition();
    const padded = { ...graph, nodes: [...graph.nodes, { padding: "p".repeat(20 * 1024 * 1024) }] };
    const response = await httpCall(
      services,
      "flow.saveDraft",
      { workspaceId, flowId, graph: padded },
      {
        headers: alice.headers,
      },
    );
    expect(response.status).toBe(413);
    expect(JSON.stringify(response.body)).toMatch(/larger than 6 MB/);
    // A small call still goes through the same handler.
    const ok = await httpCall(services, "flow.saveDraft", { workspaceId, flowId, graph }, { headers: alice.headers });
    expect(ok.status).toBe(200);
  });
});

describe("nesting depth", () => {
  /** Flows `${prefix}1` … `${prefix}n`, each nesting the next's deployed version; the last one classifies. */
  async function chain(prefix: string, n: number): Promise<string[]> {
    const ids: string[] = [];
    for (let i = 1; i <= n; i++) ids.push((await alice.caller.flow.create({ workspaceId, name: `${prefix}${i}` })).id);
    for (let i = n; i >= 1; i--) {
      const id = ids[i - 1]!;
      await saveVersion(id, i === n ? recognition() : nesting(ids[i]!, "deployed"));
      await alice.caller.flowVersion.deploy({ workspaceId, flowId: id, version: 1 });
    }
    return ids;
  }

  test("a flow nesting 6 levels deep is refused at save, naming the chain of flows", async () => {
    const ids = await chain("Level ", 6);
    const { id: top } = await alice.caller.flow.create({ workspaceId, name: "Top" });
    const check = await alice.caller.flowEditor.check({
      workspaceId,
      flowId: top,
      graph: nesting(ids[0]!, "deployed"),
    });
    expect(check.problems).toEqual([
      expect.objectContaining({ code: "nested_flow_too_deep", nodeId: "nest", path: "/flow" }),
    ]);
    const error = await refusal(saveVersion(top, nesting(ids[0]!, "deployed")));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain(
      'Flows nest 6 levels deep here ("Top" → "Level 1" → "Level 2" → "Level 3" → "Level 4" → "Level 5" → "Level 6"), but flows run at most 5 levels',
    );
    expect(await alice.caller.flowVersion.list({ workspaceId, flowId: top })).toEqual([]);
    // Five levels run.
    expect((await saveVersion(top, nesting(ids[1]!, "deployed"))).version).toBe(1);
  });

  test("deploying a version that makes a deployed flow above nest too deep is refused, naming the chain", async () => {
    const ids = await chain("Deep ", 6);
    const { id: leaf } = await alice.caller.flow.create({ workspaceId, name: "Leaf" });
    await saveVersion(leaf, recognition());
    const last = ids[5]!;
    // Version 2 of "Deep 6" nests one more flow: fine on its own (1 level), too deep under "Deep 1".
    expect((await saveVersion(last, nesting(leaf, 1), 1)).version).toBe(2);
    const error = await refusal(alice.caller.flowVersion.deploy({ workspaceId, flowId: last, version: 2 }));
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain('"Deep 1" (deployed version 1) runs this flow\'s deployed version');
    expect(error.message).toContain('("Deep 1" → "Deep 2" → "Deep 3" → "Deep 4" → "Deep 5" → "Deep 6" → "Leaf")');
    expect((await alice.caller.flow.get({ workspaceId, flowId: last })).deployedVersion).toBe(1);
  });
});
