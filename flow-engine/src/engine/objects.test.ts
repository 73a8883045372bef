import type { BoundingBox, DetectedObject } from "@vizflow/sdk";
import { describe, expect, it } from "vitest";

import { FlowEngine } from "./engine.js";
import {
  busy,
  categorizes,
  detects,
  FakeRuntime,
  fakeWorkspace,
  graph,
  records,
  testRegistry,
  type FakePredictor,
  type FakeTasks,
} from "./test-support.js";

const object = (name: string, prob: number, box: number[]): DetectedObject => ({
  name,
  prob,
  bound_box: box as BoundingBox,
});

function setup(predictors: Record<string, FakePredictor>, tasks: FakeTasks, objectConcurrency = 4) {
  const runtime = new FakeRuntime(predictors);
  const engine = new FlowEngine({ registry: testRegistry(), runtime, limits: { objectConcurrency } });
  return { engine, runtime, workspace: fakeWorkspace({ tasks }) };
}

describe("object fan-out", () => {
  const pets = detects([object("dog", 0.9, [0, 0, 50, 50]), object("cat", 0.8, [50, 50, 100, 100])]);
  const tasks: FakeTasks = {
    pets: { type: "detection", labels: ["dog", "cat"] },
    breed: { type: "categorization", labels: ["husky"] },
  };

  it("runs the objects children once per object, on its crop, writing into that object", async () => {
    const { engine, runtime, workspace } = setup({ pets, breed: categorizes("husky") }, tasks);
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets" }],
        ["rec", "core/recognition@1", { task: "breed", output: "breed" }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "rec"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, records([200, 100]));
    const breed = { best_label: { name: "husky", prob: 0.9 }, labels: [{ name: "husky", prob: 0.9 }] };
    expect(result.records[0]?._objects).toEqual([
      { name: "dog", prob: 0.9, bound_box: [0, 0, 50, 50], breed },
      { name: "cat", prob: 0.8, bound_box: [50, 50, 100, 100], breed },
    ]);
    expect(result.records[0]).not.toHaveProperty("breed");
    expect(runtime.predictions.filter((p) => p.taskId === "breed").map((p) => p.box)).toEqual(
      expect.arrayContaining([
        [0, 0, 50, 50],
        [50, 50, 100, 100],
      ]),
    );
    // One detection on the record, one recognition per object.
    expect(result.statistics.credits).toBe(3);
  });

  it("keeps boxes in root-image pixels for detections made on crops of crops", async () => {
    const { engine, runtime, workspace } = setup(
      {
        people: detects([object("person", 0.9, [100, 100, 500, 700])]),
        faces: detects([object("face", 0.95, [10, 20, 60, 80])]),
        eyes: detects([object("eye", 0.7, [5, 5, 15, 10])]),
        mood: categorizes("happy"),
      },
      {
        people: "detection",
        faces: "detection",
        eyes: "detection",
        mood: { type: "categorization", labels: ["happy"] },
      },
    );
    const flow = graph(
      [
        ["persons", "core/object-selector@1", { task: "people" }],
        ["face", "core/object-selector@1", { task: "faces" }],
        ["mood", "core/recognition@1", { task: "mood", output: "mood" }],
        ["eyes", "core/detection@1", { task: "eyes" }],
      ],
      [
        ["in", "next", "persons"],
        ["persons", "objects", "face"],
        ["face", "objects", "mood"],
        ["face", "objects", "eyes"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([1000, 800]))).records;
    const person = (record?._objects as DetectedObject[])[0];
    expect(person?.bound_box).toEqual([100, 100, 500, 700]);
    const face = (person?._objects as DetectedObject[])[0];
    expect(face?.bound_box).toEqual([110, 120, 160, 180]);
    expect(face?.mood).toMatchObject({ best_label: { name: "happy" } });
    expect(face?._objects).toEqual([{ name: "eye", prob: 0.7, bound_box: [115, 125, 125, 130] }]);
    expect(runtime.predictions.find((p) => p.taskId === "mood")?.box).toEqual([110, 120, 160, 180]);
  });

  it("fans out to at most maxObjects objects and charges only the objects that ran", async () => {
    const many = detects([0, 1, 2, 3, 4].map((i) => object("dog", 0.5 + i / 10, [i * 10, 0, i * 10 + 10, 10])));
    const { engine, workspace } = setup({ pets: many, breed: categorizes("husky") }, tasks);
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets", maxObjects: 2 }],
        ["rec", "core/recognition@1", { task: "breed", output: "breed" }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "rec"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, records([100, 100]));
    const objects = result.records[0]?._objects as DetectedObject[];
    expect(objects.map((o) => o.prob)).toEqual([0.9, 0.8]);
    expect(objects.every((o) => "breed" in o)).toBe(true);
    expect(result.statistics.credits).toBe(3);
  });

  it("bounds how many objects are processed at the same time", async () => {
    const six = detects([0, 1, 2, 3, 4, 5].map((i) => object("dog", 0.9, [i, i, i + 10, i + 10])));
    const { engine, workspace } = setup({ pets: six }, tasks, 2);
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets" }],
        ["work", "acme/busy@1", { field: "overlap", delayMs: 15 }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "work"],
      ],
    );
    busy.reset();
    const [record] = (await engine.run(workspace, { graph: flow }, records([100, 100]))).records;
    expect((record?._objects as DetectedObject[]).length).toBe(6);
    expect(busy.max).toBe(2);
  });

  it("gives each object scope its own fields: name, prob and bound_box", async () => {
    const { engine, workspace } = setup({ pets }, tasks);
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets", padding: 0.1 }],
        ["cond", "core/condition@1", { conditions: [{ field: "name", op: "==", value: "dog" }] }],
        ["mark", "acme/set@1", { field: "is_dog", value: true }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "cond"],
        ["cond", "true", "mark"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([200, 200]))).records;
    expect(record?._objects).toEqual([
      { name: "dog", prob: 0.9, bound_box: [0, 0, 55, 55], is_dog: true },
      { name: "cat", prob: 0.8, bound_box: [45, 45, 105, 105] },
    ]);
  });

  it("fans out to the objects a service returns", async () => {
    const { engine, runtime, workspace } = setup({ breed: categorizes("husky") }, tasks);
    const flow = graph(
      [
        ["svc", "core/service@1", { action: "acme/faces@1" }],
        ["rec", "core/recognition@1", { task: "breed", output: "who" }],
      ],
      [
        ["in", "next", "svc"],
        ["svc", "objects", "rec"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, records([100, 100]));
    expect((result.records[0]?._objects as DetectedObject[]).map((o) => [o.bound_box, "who" in o])).toEqual([
      [[0, 0, 10, 10], true],
      [[20, 20, 30, 30], true],
    ]);
    expect(runtime.predictions.map((p) => p.box)).toEqual(
      expect.arrayContaining([
        [0, 0, 10, 10],
        [20, 20, 30, 30],
      ]),
    );
    // The faces service costs 2, each recognition 1.
    expect(result.statistics.credits).toBe(4);
  });

  it("traces each object's run separately", async () => {
    const { engine, workspace } = setup({ pets, breed: categorizes("husky") }, tasks);
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets" }],
        ["rec", "core/recognition@1", { task: "breed", output: "breed" }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "rec"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, records([200, 100]), { debug: true });
    const trace = result.traces?.[0] ?? [];
    expect(trace.find((t) => t.nodeId === "sel")).toMatchObject({ objects: 2, handles: ["objects"], credits: 1 });
    const perObject = trace.filter((t) => t.nodeId === "rec").map((t) => t.scope);
    expect(perObject).toEqual(
      expect.arrayContaining([
        { kind: "object", path: [0], box: [0, 0, 50, 50] },
        { kind: "object", path: [1], box: [50, 50, 100, 100] },
      ]),
    );
    expect(trace.find((t) => t.nodeId === "rec" && t.scope.kind === "object")?.seen).toMatchObject({
      name: expect.any(String),
    });
  });
});

describe("object fan-out traces", () => {
  it("show what the selector wrote at the time, not what its children added later", async () => {
    const runtime = new FakeRuntime({
      pets: detects([{ name: "dog", prob: 0.9, bound_box: [0, 0, 50, 50] }]),
      breed: categorizes("husky"),
    });
    const engine = new FlowEngine({ registry: testRegistry(), runtime });
    const workspace = fakeWorkspace({
      tasks: { pets: "detection", breed: { type: "categorization", labels: ["husky"] } },
    });
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets" }],
        ["rec", "core/recognition@1", { task: "breed", output: "breed" }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "rec"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, records([100, 100]), { debug: true });
    expect(result.traces?.[0]?.find((t) => t.nodeId === "sel")?.written).toEqual({
      _objects: [{ name: "dog", prob: 0.9, bound_box: [0, 0, 50, 50] }],
    });
    expect((result.records[0]?._objects as DetectedObject[])[0]).toHaveProperty("breed");
  });
});

describe("the fan-out cap", () => {
  it("says in the trace and the log how many objects a Service's children did not run on", async () => {
    const runtime = new FakeRuntime({ breed: categorizes("husky") });
    const lines: { message: string; data?: Record<string, unknown> }[] = [];
    const log = (message: string, data?: Record<string, unknown>) => lines.push({ message, ...(data ? { data } : {}) });
    const engine = new FlowEngine({
      registry: testRegistry(),
      runtime,
      logger: { debug: log, info: log, warn: log, error: log },
    });
    const workspace = fakeWorkspace({ tasks: { breed: { type: "categorization", labels: ["husky"] } } });
    const flow = graph(
      [
        ["faces", "core/service@1", { action: "acme/faces@1", maxObjects: 1 }],
        ["rec", "core/recognition@1", { task: "breed", output: "breed" }],
      ],
      [
        ["in", "next", "faces"],
        ["faces", "objects", "rec"],
      ],
    );
    const result = await engine.run(workspace, { graph: flow }, records([100, 100]), { debug: true });
    const faces = result.records[0]?._objects as DetectedObject[];
    expect(faces).toHaveLength(2);
    expect(faces.map((f) => "breed" in f)).toEqual([true, false]);
    expect(result.traces?.[0]?.find((t) => t.nodeId === "faces")).toMatchObject({ objects: 1, objectsSkipped: 1 });
    expect(lines).toContainEqual({
      message: "fan-out capped: objects left without their next actions",
      data: expect.objectContaining({ nodeId: "faces", action: "core/service@1", objects: 2, ran: 1 }) as unknown,
    });
  });
});
