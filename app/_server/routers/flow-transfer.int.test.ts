import { rm } from "node:fs/promises";
import { TRPCError } from "@trpc/server";
import { databaseWorkspace, FlowEngine, installedPlugins, onnxImageRuntime } from "@vizflow/flow-engine";
import { INPUT_ACTION, type FlowGraph } from "@vizflow/sdk";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { solid, toPng } from "../../../flow-engine/src/testing/images";
import { COLOUR_CLASSIFIER_ADAPTER, colourClassifierModel } from "../../../flow-engine/src/testing/tiny-models";
import { FLOW_TEMPLATES } from "../flow-templates";
import type { FlowExport } from "../flow-transfer/document";
import { type ModelServices } from "../model-services";
import { handleModelUpload } from "../model-upload-route";
import { createTestServices, useTestModelServices, signUp, type TestServices, type TestUser } from "../testing";

// Export a version in one workspace, import it into another: tasks mapped by name or by choice, refusals
// with reasons, malformed files named by field, and the imported flow run by the engine.

let services: TestServices;
let models: ModelServices;
let dir: string;
let alice: TestUser;
let bob: TestUser;
let source: string;
let target: string;
let flowId: string;
const ids: Record<string, string> = {};

async function refusal(promise: Promise<unknown>): Promise<TRPCError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof TRPCError)) throw new Error(`expected a refusal, got ${String(error)}`);
  return error;
}

function sorterGraph(): FlowGraph {
  return {
    schema: 1,
    nodes: [
      { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
      {
        id: "colour",
        action: "core/branch-selector@1",
        config: { task: ids.colours, branches: ["red", "blue"], output: "colour" },
        position: { x: 0, y: 120 },
        label: "Which colour",
      },
      {
        id: "things",
        action: "core/object-selector@1",
        config: { task: ids.things, labels: ["cup"] },
        position: { x: 0, y: 240 },
      },
      {
        id: "nested",
        action: "core/nested-flow@1",
        config: { flow: ids.helper, version: "deployed" },
        position: { x: 0, y: 360 },
      },
    ],
    edges: [
      { id: "e1", source: "input", sourceHandle: "next", target: "colour" },
      { id: "e2", source: "colour", sourceHandle: "branch:red", target: "things" },
      { id: "e3", source: "colour", sourceHandle: "else", target: "nested" },
    ],
  };
}

const quality: FlowGraph = {
  schema: 1,
  nodes: [
    { id: "input", action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } },
    {
      id: "q",
      action: "core/service@1",
      config: { action: "quality/measure@1", config: { output: "quality" } },
      position: { x: 0, y: 120 },
    },
  ],
  edges: [{ id: "e1", source: "input", sourceHandle: "next", target: "q" }],
};

async function savedAndDeployed(user: TestUser, workspaceId: string, name: string, graph: FlowGraph): Promise<string> {
  const { id } = await user.caller.flow.create({ workspaceId, name });
  await user.caller.flowVersion.save({ workspaceId, flowId: id, graph, message: "v1", expectedLatestVersion: 0 });
  await user.caller.flowVersion.deploy({ workspaceId, flowId: id, version: 1 });
  return id;
}

async function uploadColourModel(workspaceId: string, taskId: string): Promise<void> {
  const form = new FormData();
  const adapter = COLOUR_CLASSIFIER_ADAPTER;
  form.append("adapter", JSON.stringify(adapter));
  form.append("activate", "true");
  form.append("file", new Blob([new Uint8Array(colourClassifierModel())]), "model.onnx");
  const request = new Request(`http://localhost/api/workspaces/${workspaceId}/tasks/${taskId}/model-versions`, {
    method: "POST",
    headers: alice.headers,
    body: form,
  });
  const response = await handleModelUpload(request, services, { workspaceId, taskId });
  if (response.status !== 201 && response.status !== 200) throw new Error(`upload failed: ${await response.text()}`);
}

beforeAll(async () => {
  services = await createTestServices();
  ({ models, dir } = await useTestModelServices(services.database, "transfer"));
  alice = await signUp(services, "Alice");
  bob = await signUp(services, "Bob");
  source = (await alice.caller.workspace.create({ name: "Source" })).id;
  target = (await alice.caller.workspace.create({ name: "Target" })).id;
  const task = (workspaceId: string, name: string, type: "categorization" | "detection", labels: string[]) =>
    alice.caller.task.create({ workspaceId, name, type, labels }).then((t) => t.id);
  ids.colours = await task(source, "Colours", "categorization", ["red", "green", "blue"]);
  ids.things = await task(source, "Things", "detection", ["cup", "plate"]);
  ids.helper = await savedAndDeployed(alice, source, "Quality check", quality);
  flowId = await savedAndDeployed(alice, source, "Sorter", sorterGraph());
  // The target has a Colours task of its own (mapped by name), a detector under another name (mapped by
  // choice), a colour task without "blue", and its own "Quality check" flow.
  ids.targetColours = await task(target, "Colours", "categorization", ["red", "green", "blue"]);
  ids.targetKitchen = await task(target, "Kitchen objects", "detection", ["cup", "plate", "fork"]);
  ids.warm = await task(target, "Warm colours", "categorization", ["red", "orange"]);
  ids.targetHelper = await savedAndDeployed(alice, target, "Quality check", quality);
  await uploadColourModel(target, ids.targetColours);
});
afterAll(async () => {
  await models.runtime.close();
  await services.close();
  await rm(dir, { recursive: true, force: true });
});

async function exported(): Promise<FlowExport> {
  return alice.caller.flowTransfer.export({ workspaceId: source, flowId, version: 1 });
}

describe("export", () => {
  test("a version exports its graph with the tasks it names (name, type, labels) and its nested flows", async () => {
    const file = await exported();
    expect(file).toMatchObject({
      format: "vizflow.flow-export",
      formatVersion: 1,
      flow: { name: "Sorter", version: 1 },
    });
    expect(file.graph).toEqual(sorterGraph());
    expect(file.tasks).toEqual([
      { ref: ids.colours, name: "Colours", type: "categorization", labels: ["red", "green", "blue"] },
      { ref: ids.things, name: "Things", type: "detection", labels: ["cup", "plate"] },
    ]);
    expect(file.flows).toEqual([{ ref: ids.helper, name: "Quality check" }]);
    // What the browser downloads is the JSON text; it reads back as the same document.
    expect(JSON.parse(JSON.stringify(file))).toEqual(file);
  });

  test("another workspace's flow cannot be exported, by a non-member or through one's own workspace", async () => {
    const outsider = await refusal(bob.caller.flowTransfer.export({ workspaceId: source, flowId, version: 1 }));
    expect(outsider.code).toBe("NOT_FOUND");
    const crossed = await refusal(alice.caller.flowTransfer.export({ workspaceId: target, flowId, version: 1 }));
    expect(crossed.code).toBe("NOT_FOUND");
    const missing = await refusal(alice.caller.flowTransfer.export({ workspaceId: source, flowId, version: 9 }));
    expect(missing.message).toBe("Version 9 of this flow does not exist.");
  });
});

describe("import", () => {
  test("the preview suggests the workspace's tasks and flows of the same name, and lists the labels needed", async () => {
    const preview = await alice.caller.flowTransfer.previewImport({ workspaceId: target, file: await exported() });
    expect(preview.tasks.map((t) => [t.name, t.suggested])).toEqual([
      ["Colours", ids.targetColours],
      ["Things", null],
    ]);
    expect(preview.tasks[0]?.needed).toEqual([
      { node: '"Which colour"', label: "red" },
      { node: '"Which colour"', label: "blue" },
    ]);
    expect(preview.flows).toEqual([{ ref: ids.helper, name: "Quality check", suggested: ids.targetHelper }]);
    expect(preview.workspaceTasks.map((t) => t.name).sort()).toEqual(["Colours", "Kitchen objects", "Warm colours"]);
  });

  test("imports as a new flow with tasks mapped by name and by choice; it validates and saves", async () => {
    const file = await exported();
    const imported = await alice.caller.flowTransfer.import({
      workspaceId: target,
      file,
      name: "Sorter",
      tasks: { [ids.things as string]: ids.targetKitchen as string },
    });
    expect(imported.problems).toEqual([]);
    const draft = (await alice.caller.flow.draft({ workspaceId: target, flowId: imported.id })).graph;
    const config = (id: string) => draft.nodes.find((n) => n.id === id)?.config;
    expect(config("colour")?.task).toBe(ids.targetColours);
    expect(config("things")?.task).toBe(ids.targetKitchen);
    expect(config("nested")?.flow).toBe(ids.targetHelper);
    // Only the references changed.
    expect({ ...draft, nodes: draft.nodes.map((n) => n.id) }).toEqual({
      ...sorterGraph(),
      nodes: draft.nodes.map((n) => n.id),
    });
    const saved = await alice.caller.flowVersion.save({
      workspaceId: target,
      flowId: imported.id,
      graph: draft,
      message: "imported",
      expectedLatestVersion: 0,
    });
    expect(saved.version).toBe(1);
  });

  test("the imported flow runs in the target workspace through the engine's debug run", async () => {
    const imported = await alice.caller.flowTransfer.import({
      workspaceId: target,
      file: await exported(),
      name: "Sorter (run)",
      tasks: { [ids.things as string]: ids.targetKitchen as string },
    });
    const graph = (await alice.caller.flow.draft({ workspaceId: target, flowId: imported.id })).graph;
    const engine = new FlowEngine({
      registry: (await installedPlugins()).registry,
      runtime: onnxImageRuntime({ models: models.runtime }),
    });
    const workspace = databaseWorkspace(services.database.db, target);
    const prepared = await engine.prepare(workspace, { graph, flowId: imported.id });
    // A blue image: the target's colour model answers "blue", which has a branch with nothing under it.
    const blue = Buffer.from(await toPng(solid(8, 8, [10, 20, 240]))).toString("base64");
    const result = await engine.process(workspace, prepared, [{ _base64: blue }], { debug: true });
    expect(result.records[0]).toMatchObject({ _status: { code: 200 }, colour: { best_label: { name: "blue" } } });
    expect(result.traces?.[0]?.find((t) => t.nodeId === "colour")).toMatchObject({ handles: ["branch:blue"] });
  });

  test("a chosen task that lacks a label a node names is refused, naming the node, the label and the task", async () => {
    const before = (await alice.caller.flow.list({ workspaceId: target })).length;
    const error = await refusal(
      alice.caller.flowTransfer.import({
        workspaceId: target,
        file: await exported(),
        name: "Warm sorter",
        tasks: { [ids.colours as string]: ids.warm as string, [ids.things as string]: ids.targetKitchen as string },
      }),
    );
    expect(error.code).toBe("BAD_REQUEST");
    expect(error.message).toContain('"Which colour" names label "blue", which task "Warm colours" lacks');
    expect(error.message).not.toContain('label "red"');
    expect((await alice.caller.flow.list({ workspaceId: target })).length).toBe(before);
  });

  test("a task of another type, or a task with no match by name, is refused with the reason", async () => {
    const file = await exported();
    const wrongType = await refusal(
      alice.caller.flowTransfer.import({
        workspaceId: target,
        file,
        name: "Wrong type",
        tasks: {
          [ids.colours as string]: ids.targetKitchen as string,
          [ids.things as string]: ids.targetKitchen as string,
        },
      }),
    );
    expect(wrongType.message).toContain(
      'task "Colours" (categorization) cannot be mapped to "Kitchen objects", a detection task; choose a categorization task.',
    );
    const unmatched = await refusal(alice.caller.flowTransfer.import({ workspaceId: target, file, name: "Unmatched" }));
    expect(unmatched.message).toContain('task "Things" (detection) has no detection task of that name here');
  });

  test("a task left for later (null) imports with the node's task empty, and the draft says to choose it", async () => {
    const imported = await alice.caller.flowTransfer.import({
      workspaceId: target,
      file: await exported(),
      name: "Sorter (later)",
      tasks: { [ids.things as string]: null },
    });
    expect(imported.problems.length).toBeGreaterThan(0);
    for (const problem of imported.problems) expect(problem).toMatchObject({ nodeId: "things", path: "/task" });
    const draft = (await alice.caller.flow.draft({ workspaceId: target, flowId: imported.id })).graph;
    expect(draft.nodes.find((n) => n.id === "things")?.config.task).toBe("");
  });

  test("malformed files are refused, naming the field", async () => {
    const file = await exported();
    const cases: [unknown, string][] = [
      ["just text", "The file must hold a JSON object"],
      [{ ...file, format: "something-else" }, 'its "format" is "something-else", not "vizflow.flow-export"'],
      [{ ...file, formatVersion: 7 }, '"formatVersion" 7, from a newer Vizflow'],
      [{ ...file, tasks: [{ ...file.tasks[0], type: "segmentation" }] }, '"tasks/0/type" must be one of'],
      [
        { ...file, graph: { ...file.graph, nodes: [{ action: INPUT_ACTION, config: {}, position: { x: 0, y: 0 } }] } },
        '"graph/nodes/0/id" is required',
      ],
      [{ ...file, flow: { version: 1 } }, '"flow/name" is required'],
      [{ ...file, tasks: [] }, `names task "${ids.colours}", which the file's "tasks" does not list`],
    ];
    for (const [bad, message] of cases) {
      const error = await refusal(alice.caller.flowTransfer.previewImport({ workspaceId: target, file: bad }));
      expect(error.code, message).toBe("BAD_REQUEST");
      expect(error.message).toContain(message);
    }
  });

  test("a viewer of the target cannot import, and a non-member gets NOT_FOUND", async () => {
    const file = await exported();
    const { url } = await alice.caller.invitation.create({ workspaceId: target, role: "viewer" });
    await bob.caller.invitation.accept({ token: url.slice("/invite/".length) });
    const viewer = await refusal(bob.caller.flowTransfer.import({ workspaceId: target, file, name: "Mine" }));
    expect(viewer.code).toBe("FORBIDDEN");
    const stranger = await refusal(bob.caller.flowTransfer.previewImport({ workspaceId: source, file }));
    expect(stranger.code).toBe("NOT_FOUND");
  });
});

describe("templates and the response schema", () => {
  test("a template creates a flow whose draft is the template's graph", async () => {
    const listed = await alice.caller.flowTransfer.templates({ workspaceId: target });
    expect(listed.map((t) => t.id)).toEqual(FLOW_TEMPLATES.map((t) => t.id));
    const { id } = await alice.caller.flowTransfer.createFromTemplate({
      workspaceId: target,
      templateId: "faces-and-expressions",
      name: "Faces",
    });
    const draft = await alice.caller.flow.draft({ workspaceId: target, flowId: id });
    expect(draft.graph).toEqual(FLOW_TEMPLATES.find((t) => t.id === "faces-and-expressions")?.graph);
    const check = await alice.caller.flowEditor.check({ workspaceId: target, flowId: id, graph: draft.graph });
    expect(check.problems).toEqual([]);
    const unknown = await refusal(
      alice.caller.flowTransfer.createFromTemplate({ workspaceId: target, templateId: "nope", name: "X" }),
    );
    expect(unknown.message).toMatch(/^There is no template "nope"; choose one of "detect-then-classify"/);
  });

  test("the response schema of the deployed version lists what its actions write; none deployed is NOT_FOUND", async () => {
    const schema = (await alice.caller.flowTransfer.responseSchema({
      workspaceId: source,
      flowId: ids.helper as string,
    })) as {
      properties: { records: { items: { properties: Record<string, unknown> } } };
    };
    expect(Object.keys(schema.properties.records.items.properties)).toContain("quality");
    const { id } = await alice.caller.flow.create({ workspaceId: source, name: "Never deployed" });
    const error = await refusal(alice.caller.flowTransfer.responseSchema({ workspaceId: source, flowId: id }));
    expect(error.code).toBe("NOT_FOUND");
    const outsider = await refusal(bob.caller.flowTransfer.responseSchema({ workspaceId: source, flowId }));
    expect(outsider.code).toBe("NOT_FOUND");
  });
});
