import { randomUUID } from "node:crypto";
import { sql } from "kysely";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import type { Database } from "./database.js";
import { DataError } from "./errors.js";
import {
  deployFlowVersion,
  findDeployedVersion,
  findFlowDraft,
  findFlowVersion,
  FlowVersionConflictError,
  listFlowVersions,
  putFlowDraft,
  saveFlowVersion,
} from "./flow-versions.js";
import { createFlow, deleteFlow, findFlow, FlowInUseError, listFlows, markFlowCalled, renameFlow } from "./flows.js";
import { listNestedFlowIds } from "./flow-references.js";
import { createTestDatabase } from "./testing.js";

const USER = "user-1";

let database: Database;
beforeAll(async () => {
  database = await createTestDatabase();
});
afterAll(() => database.close());

async function newWorkspace(): Promise<string> {
  const id = randomUUID();
  await database.db
    .insertInto("workspace")
    .values({ id, name: `ws ${id}` })
    .execute();
  return id;
}

function graphWith(marker: string, nodes: unknown[] = []): unknown {
  return {
    schema: 1,
    nodes: [{ id: "in", action: "core/input@1", config: {}, position: { x: 0, y: 0 }, label: marker }, ...nodes],
    edges: [],
  };
}

function nestedFlowNode(id: string, flowId: string): unknown {
  return { id, action: "core/nested-flow@1", config: { flow: flowId, version: "deployed" }, position: { x: 0, y: 0 } };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error("expected a rejection");
    },
    (error: unknown) => error,
  );
}

describe("flows", () => {
  test("are created, listed newest first, searched, renamed, and deleted", async () => {
    const ws = await newWorkspace();
    const a = await createFlow(database.db, ws, { name: " Cats ", createdBy: USER });
    const b = await createFlow(database.db, ws, { name: "Dogs 100%", createdBy: USER });
    expect(a).toMatchObject({ name: "Cats", latestVersion: undefined, deployedVersion: undefined, createdBy: USER });

    expect((await listFlows(database.db, ws)).map((f) => f.name)).toEqual(["Dogs 100%", "Cats"]);
    expect((await listFlows(database.db, ws, { search: "cat" })).map((f) => f.id)).toEqual([a.id]);
    expect((await listFlows(database.db, ws, { search: "%" })).map((f) => f.id)).toEqual([b.id]);

    expect((await renameFlow(database.db, ws, a.id, "Kittens")).name).toBe("Kittens");
    await deleteFlow(database.db, ws, a.id);
    expect(await findFlow(database.db, ws, a.id)).toBeUndefined();
    expect((await listFlows(database.db, ws)).map((f) => f.id)).toEqual([b.id]);
  });

  test("refuse a blank name and a name another live flow has, but allow a deleted flow's name", async () => {
    const ws = await newWorkspace();
    await expect(createFlow(database.db, ws, { name: "  ", createdBy: USER })).rejects.toMatchObject({
      code: "BAD_REQUEST",
      field: "name",
    });
    const first = await createFlow(database.db, ws, { name: "Faces", createdBy: USER });
    await expect(createFlow(database.db, ws, { name: "Faces", createdBy: USER })).rejects.toMatchObject({
      code: "CONFLICT",
      message: 'A flow named "Faces" already exists in this workspace.',
    });
    const other = await createFlow(database.db, ws, { name: "Other", createdBy: USER });
    await expect(renameFlow(database.db, ws, other.id, "Faces")).rejects.toMatchObject({ code: "CONFLICT" });
    await deleteFlow(database.db, ws, first.id);
    await expect(createFlow(database.db, ws, { name: "Faces", createdBy: USER })).resolves.toMatchObject({
      name: "Faces",
    });
  });

  test("record when they were last called, never moving back in time", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Called", createdBy: USER });
    const later = new Date("2026-11-25T10:00:00Z");
    await markFlowCalled(database.db, ws, flow.id, later);
    await markFlowCalled(database.db, ws, flow.id, new Date("2026-11-25T09:00:00Z"));
    expect((await findFlow(database.db, ws, flow.id))?.lastCalledAt?.toISOString()).toBe(later.toISOString());
  });

  test("used as a nested flow by another flow cannot be deleted; the refusal lists the flows", async () => {
    const ws = await newWorkspace();
    const inner = await createFlow(database.db, ws, { name: "Inner", createdBy: USER });
    const outer = await createFlow(database.db, ws, { name: "Outer", createdBy: USER });
    await saveFlowVersion(database.db, ws, outer.id, { graph: graphWith("v1"), createdBy: USER });
    await saveFlowVersion(database.db, ws, outer.id, {
      graph: graphWith("v2", [nestedFlowNode("n", inner.id)]),
      createdBy: USER,
    });

    const error = await rejection(deleteFlow(database.db, ws, inner.id));
    expect(error).toBeInstanceOf(FlowInUseError);
    expect((error as FlowInUseError).message).toBe(
      'This flow is used as a nested flow by "Outer" (version 2); remove it there first.',
    );
    expect((error as FlowInUseError).flows).toEqual([
      { flowId: outer.id, flowName: "Outer", versions: [2], deployedVersion: undefined, deployedVersionUses: false },
    ]);
    expect(await listNestedFlowIds(database.db, ws)).toEqual(new Map([[outer.id, [inner.id]]]));

    await deleteFlow(database.db, ws, outer.id);
    await deleteFlow(database.db, ws, inner.id);
    expect(await listFlows(database.db, ws)).toEqual([]);
  });
});

describe("flow versions", () => {
  test("are numbered 1, 2, … with author, time and message, and read back newest first", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Versions", createdBy: USER });
    const v1 = await saveFlowVersion(database.db, ws, flow.id, {
      graph: graphWith("a"),
      message: " first ",
      createdBy: USER,
    });
    const v2 = await saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("b"), createdBy: "user-2" });
    expect(v1).toMatchObject({ flowId: flow.id, version: 1, message: "first", createdBy: USER });
    expect(v2).toMatchObject({ version: 2, message: "", createdBy: "user-2" });
    expect(v1.createdAt).toBeInstanceOf(Date);

    expect((await listFlowVersions(database.db, ws, flow.id)).map((v) => v.version)).toEqual([2, 1]);
    expect((await findFlowVersion(database.db, ws, flow.id, 1))?.graph).toEqual(graphWith("a"));
    expect(await findFlowVersion(database.db, ws, flow.id, 3)).toBeUndefined();
    expect((await findFlow(database.db, ws, flow.id))?.latestVersion).toBe(2);
  });

  test("saved concurrently get distinct, gap-free numbers", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Parallel", createdBy: USER });
    const saved = await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        saveFlowVersion(database.db, ws, flow.id, {
          graph: graphWith(`save ${i}`),
          message: `save ${i}`,
          createdBy: USER,
        }),
      ),
    );
    expect(saved.map((v) => v.version).sort((x, y) => x - y)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    // Each save's graph is stored under the number it was given: none overwrote another.
    for (const version of saved) {
      const stored = await findFlowVersion(database.db, ws, flow.id, version.version);
      expect(stored?.message).toBe(version.message);
      expect(stored?.graph).toEqual(graphWith(version.message));
    }
  });

  test("saved concurrently on top of the same version: one wins, the others get a conflict", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Race", createdBy: USER });
    await saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("base"), createdBy: USER });
    const results = await Promise.allSettled(
      Array.from({ length: 6 }, (_, i) =>
        saveFlowVersion(database.db, ws, flow.id, {
          graph: graphWith(`editor ${i}`),
          message: `editor ${i}`,
          createdBy: USER,
          expectedLatestVersion: 1,
        }),
      ),
    );
    const won = results.filter((r) => r.status === "fulfilled");
    const lost = results.filter((r) => r.status === "rejected");
    expect(won).toHaveLength(1);
    expect(lost).toHaveLength(5);
    for (const r of lost) expect(r.reason).toBeInstanceOf(FlowVersionConflictError);
    const versions = await listFlowVersions(database.db, ws, flow.id);
    expect(versions.map((v) => v.version)).toEqual([2, 1]);
    expect(versions[0]?.message).toBe(won[0]?.value.message);
  });

  test("a save from a stale version is refused with the latest number, and nothing is overwritten", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Stale", createdBy: USER });
    await saveFlowVersion(database.db, ws, flow.id, {
      graph: graphWith("one"),
      createdBy: USER,
      expectedLatestVersion: 0,
    });
    await saveFlowVersion(database.db, ws, flow.id, {
      graph: graphWith("two"),
      createdBy: USER,
      expectedLatestVersion: 1,
    });

    const error = await rejection(
      saveFlowVersion(database.db, ws, flow.id, {
        graph: graphWith("stale"),
        createdBy: USER,
        expectedLatestVersion: 1,
      }),
    );
    expect(error).toBeInstanceOf(FlowVersionConflictError);
    expect(error).toMatchObject({
      code: "CONFLICT",
      latestVersion: 2,
      expectedVersion: 1,
      message: "Version 2 of this flow was saved after version 1; reload it, or save on top of version 2.",
    });
    expect((await listFlowVersions(database.db, ws, flow.id)).map((v) => v.version)).toEqual([2, 1]);
    expect((await findFlowVersion(database.db, ws, flow.id, 2))?.graph).toEqual(graphWith("two"));
    expect((await findFlow(database.db, ws, flow.id))?.latestVersion).toBe(2);
  });

  test("cannot be changed once saved, not even by SQL that bypasses the data layer", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Immutable", createdBy: USER });
    await saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("kept"), createdBy: USER });
    await expect(
      sql`update flow_version set message = 'changed' where flow_id = ${flow.id}`.execute(database.db),
    ).rejects.toThrow(/flow versions are immutable/);
    expect((await findFlowVersion(database.db, ws, flow.id, 1))?.message).toBe("");
  });

  test("deploy only a saved version; undeploy takes the flow offline", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Deploy", createdBy: USER });
    await expect(deployFlowVersion(database.db, ws, flow.id, 1, USER)).rejects.toMatchObject({
      code: "NOT_FOUND",
      message: "This flow has no saved version yet; save one before deploying.",
    });
    await saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("1"), createdBy: USER });
    await saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("2"), createdBy: USER });
    await expect(deployFlowVersion(database.db, ws, flow.id, 3, USER)).rejects.toMatchObject({
      message: "Version 3 does not exist; this flow has versions 1 to 2.",
    });

    await deployFlowVersion(database.db, ws, flow.id, 1, USER);
    expect(await findDeployedVersion(database.db, ws, flow.id)).toBe(1);
    const listed = await findFlow(database.db, ws, flow.id);
    expect(listed).toMatchObject({ latestVersion: 2, deployedVersion: 1 });
    expect(listed?.deployedAt).toBeInstanceOf(Date);

    await deployFlowVersion(database.db, ws, flow.id, undefined, USER);
    expect(await findDeployedVersion(database.db, ws, flow.id)).toBeUndefined();
  });

  test("a deleted flow's versions and deployment are gone from every query", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Gone", createdBy: USER });
    await saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("1"), createdBy: USER });
    await deployFlowVersion(database.db, ws, flow.id, 1, USER);
    await deleteFlow(database.db, ws, flow.id);
    expect(await findDeployedVersion(database.db, ws, flow.id)).toBeUndefined();
    expect(await findFlowVersion(database.db, ws, flow.id, 1)).toBeUndefined();
    expect(await listFlowVersions(database.db, ws, flow.id)).toEqual([]);
    await expect(
      saveFlowVersion(database.db, ws, flow.id, { graph: graphWith("2"), createdBy: USER }),
    ).rejects.toMatchObject({
      code: "NOT_FOUND",
    });
  });
});

describe("flow drafts", () => {
  test("are created on first put, replaced by later ones, and read back", async () => {
    const ws = await newWorkspace();
    const flow = await createFlow(database.db, ws, { name: "Draft", createdBy: USER, graph: graphWith("initial") });
    expect(await findFlowDraft(database.db, ws, flow.id)).toMatchObject({
      graph: graphWith("initial"),
      baseVersion: undefined,
      updatedBy: USER,
    });
    await putFlowDraft(database.db, ws, flow.id, { graph: graphWith("edited"), baseVersion: 3, updatedBy: "user-2" });
    expect(await findFlowDraft(database.db, ws, flow.id)).toMatchObject({
      graph: graphWith("edited"),
      baseVersion: 3,
      updatedBy: "user-2",
    });
    const other = await createFlow(database.db, ws, { name: "No draft", createdBy: USER });
    expect(await findFlowDraft(database.db, ws, other.id)).toBeUndefined();
  });
});

describe("workspace isolation", () => {
  test("another workspace's flow is invisible and untouchable through this workspace", async () => {
    const a = await newWorkspace();
    const b = await newWorkspace();
    const theirs = await createFlow(database.db, b, { name: "Theirs", createdBy: USER, graph: graphWith("draft") });
    await saveFlowVersion(database.db, b, theirs.id, { graph: graphWith("1"), createdBy: USER });
    await deployFlowVersion(database.db, b, theirs.id, 1, USER);

    expect(await findFlow(database.db, a, theirs.id)).toBeUndefined();
    expect(await listFlows(database.db, a)).toEqual([]);
    expect(await listFlowVersions(database.db, a, theirs.id)).toEqual([]);
    expect(await findFlowVersion(database.db, a, theirs.id, 1)).toBeUndefined();
    expect(await findDeployedVersion(database.db, a, theirs.id)).toBeUndefined();
    expect(await findFlowDraft(database.db, a, theirs.id)).toBeUndefined();
    // Thunks, so each attempt starts only when awaited.
    for (const attempt of [
      () => renameFlow(database.db, a, theirs.id, "Mine"),
      () => deleteFlow(database.db, a, theirs.id),
      () => saveFlowVersion(database.db, a, theirs.id, { graph: graphWith("x"), createdBy: USER }),
      () => deployFlowVersion(database.db, a, theirs.id, undefined, USER),
      () => putFlowDraft(database.db, a, theirs.id, { graph: graphWith("x"), updatedBy: USER }),
    ]) {
      const error = await rejection(attempt());
      expect(error).toBeInstanceOf(DataError);
      expect(error).toMatchObject({ code: "NOT_FOUND" });
    }
    await markFlowCalled(database.db, a, theirs.id);

    const untouched = await findFlow(database.db, b, theirs.id);
    expect(untouched).toMatchObject({ name: "Theirs", latestVersion: 1, deployedVersion: 1, lastCalledAt: undefined });
    expect((await findFlowDraft(database.db, b, theirs.id))?.graph).toEqual(graphWith("draft"));
  });
});
