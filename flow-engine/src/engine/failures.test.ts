import { describe, expect, it } from "vitest";

import { FlowEngine, TooManyRecordsError } from "./engine.js";
import {
  categorizes,
  detects,
  FakeRuntime,
  fakeImageBase64,
  fakeWorkspace,
  graph,
  records,
  testRegistry,
} from "./test-support.js";

const base64 = (text: string) => Buffer.from(text).toString("base64");

function setup(options: Partial<ConstructorParameters<typeof FlowEngine>[0]> = {}) {
  const runtime = new FakeRuntime({ animal: categorizes("cat") });
  const engine = new FlowEngine({ registry: testRegistry(), runtime, ...options });
  return { engine, runtime, workspace: fakeWorkspace({ tasks: { animal: "categorization" } }) };
}

const simpleFlow = graph(
  [["rec", "core/recognition@1", { task: "animal", output: "animal" }]],
  [["in", "next", "rec"]],
);

/** Records with `mode: "bad"` take the failing branch; the others do not. */
function flowWithFailingBranch(action: string) {
  return graph(
    [
      ["ok", "acme/set@1", { field: "ok", value: true }],
      ["cond", "core/condition@1", { conditions: [{ field: "mode", op: "==", value: "bad" }] }],
      ["bad", action, {}],
      ["after", "acme/set@1", { field: "after_bad", value: true }],
    ],
    [
      ["in", "next", "ok"],
      ["in", "next", "cond"],
      ["cond", "true", "bad"],
      ["bad", "next", "after"],
    ],
  );
}

describe("bad records", () => {
  it("gives each bad record a 4xx status saying what was wrong, and processes the others", async () => {
    const { engine, workspace } = setup();
    const result = await engine.run(workspace, { graph: simpleFlow }, [
      { _id: "good", _base64: fakeImageBase64(64, 48) },
      { _id: "not-base64", _base64: "%%% not base64 %%%" },
      { _id: "empty", _base64: "" },
      { _id: "corrupt", _base64: base64("GIF89a garbage") },
      { _id: "huge", _base64: fakeImageBase64(20_000, 20_000) },
      42,
      { _id: "no-image" },
      { _id: "both", _url: "https://example.com/a.jpg", _base64: fakeImageBase64(1, 1) },
      { _id: "url", _url: "https://example.com/a.jpg" },
    ]);
    const statuses = result.records.map((r) => [r._id, r._status.code]);
    expect(statuses).toEqual([
      ["good", 200],
      ["not-base64", 400],
      ["empty", 400],
      ["corrupt", 422],
      ["huge", 413],
      [undefined, 400],
      ["no-image", 400],
      ["both", 400],
      ["url", 400],
    ]);
    const text = (id: string) => result.records.find((r) => r._id === id)?._status.text;
    expect(text("not-base64")).toMatch(/_base64 is not valid base64/);
    expect(text("empty")).toMatch(/_base64 is empty/);
    expect(text("corrupt")).toMatch(/could not be decoded: the bytes are not an image/);
    expect(text("huge")).toMatch(/over the limit/);
    expect(text("no-image")).toMatch(/send _url or _base64/);
    expect(text("url")).toMatch(/no image fetcher is configured.*_base64/);
    expect(result.records[0]).toMatchObject({ animal: { best_label: { name: "cat" } }, _width: 64, _height: 48 });
    expect(result.records[1]).not.toHaveProperty("_width");
    expect(result.records[1]).not.toHaveProperty("_base64");
    expect(result.statistics.credits).toBe(1);
  });

  it("fetches _url records through the configured fetcher and reports its failures as 4xx", async () => {
    const { engine, workspace } = setup({
      fetchImage: (url) =>
        url.endsWith("/ok.jpg")
          ? Promise.resolve(new Uint8Array(Buffer.from("img:30x20")))
          : Promise.reject(new Error("the host answered 404")),
    });
    const result = await engine.run(workspace, { graph: simpleFlow }, [
      { _url: "https://images.example/ok.jpg" },
      { _url: "https://images.example/missing.jpg" },
    ]);
    expect(result.records[0]).toMatchObject({
      _url: "https://images.example/ok.jpg",
      _width: 30,
      _status: { code: 200 },
    });
    expect(result.records[1]?._status).toEqual({
      code: 422,
      text: "could not fetch the image at _url: the host answered 404",
    });
  });

  it("refuses a request with more records than the limit", async () => {
    const { engine, workspace } = setup({ limits: { maxRecordsPerRequest: 2 } });
    await expect(engine.run(workspace, { graph: simpleFlow }, records([1, 1], [1, 1], [1, 1]))).rejects.toBeInstanceOf(
      TooManyRecordsError,
    );
  });
});

describe("failing plugin actions", () => {
  const input = [
    { _id: "bad", mode: "bad", _base64: fakeImageBase64(10, 10) },
    { _id: "fine", mode: "fine", _base64: fakeImageBase64(10, 10) },
  ];

  it("fails only the node that throws, naming plugin and action; other records and branches go on", async () => {
    const { engine, workspace } = setup();
    const result = await engine.run(workspace, { graph: flowWithFailingBranch("acme/fail@1") }, input, { debug: true });
    const [bad, fine] = result.records;
    expect(bad?._status).toEqual({ code: 500, text: 'node "bad" (action acme/fail@1 of plugin acme) failed: boom' });
    expect(bad).toMatchObject({ ok: true, mode: "bad" });
    expect(bad).not.toHaveProperty("after_bad");
    expect(fine).toMatchObject({ ok: true, _status: { code: 200, text: "OK" } });
    expect(result.traces?.[0]?.find((t) => t.nodeId === "bad")).toMatchObject({
      error: "boom",
      credits: 0,
      handles: [],
    });
    // The failing record costs nothing, even though acme/fail declares a credit.
    expect(result.statistics.credits).toBe(0);
  });

  it("fails a node that hangs past its timeout, without waiting for it", async () => {
    const { engine, workspace } = setup();
    const started = Date.now();
    const result = await engine.run(workspace, { graph: flowWithFailingBranch("acme/hang@1") }, input);
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(result.records[0]?._status).toEqual({
      code: 500,
      text: 'node "bad" (action acme/hang@1 of plugin acme) failed: timed out after 50 ms',
    });
    expect(result.records[1]?._status.code).toBe(200);
  });

  it("applies the engine's default timeout to actions that declare none, aborting their signal", async () => {
    const { engine, workspace } = setup({ limits: { defaultTimeoutMs: 20 } });
    const flow = graph([["slow", "acme/set@1", { field: "x", value: 1, delayMs: 10_000 }]], [["in", "next", "slow"]]);
    const [record] = (await engine.run(workspace, { graph: flow }, records([5, 5]))).records;
    expect(record?._status.text).toMatch(/acme\/set@1 of plugin acme\) failed: timed out after 20 ms/);
    expect(record).not.toHaveProperty("x");
  });

  it("fails a node whose output does not match its declared writes schema", async () => {
    const { engine, workspace } = setup();
    const result = await engine.run(workspace, { graph: flowWithFailingBranch("acme/bad-output@1") }, input);
    expect(result.records[0]?._status.text).toBe(
      'node "bad" (action acme/bad-output@1 of plugin acme) failed: wrote fields that do not match its declared writes schema: "score" must be number',
    );
    expect(result.records[0]).not.toHaveProperty("score");
    expect(result.records[1]?._status.code).toBe(200);
  });

  it("fails a node that takes a handle it does not have", async () => {
    const { engine, workspace } = setup();
    const result = await engine.run(workspace, { graph: flowWithFailingBranch("acme/bad-handle@1") }, input);
    expect(result.records[0]?._status.text).toMatch(
      /took handle "elsewhere", which it does not have \(its handles: next\)/,
    );
  });

  it("reports every failed node of a record", async () => {
    const { engine, workspace } = setup();
    const flow = graph(
      [
        ["f1", "acme/fail@1", {}],
        ["f2", "acme/bad-output@1", {}],
      ],
      [
        ["in", "next", "f1"],
        ["in", "next", "f2"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([5, 5]))).records;
    expect(record?._status.code).toBe(500);
    expect(record?._status.text).toMatch(/^2 nodes failed: .*"f1".*boom.*"f2"/);
  });

  it("fails a model node whose task cannot be predicted, naming the task", async () => {
    const runtime = new FakeRuntime({});
    const engine = new FlowEngine({ registry: testRegistry(), runtime });
    const workspace = fakeWorkspace({ tasks: { animal: "categorization" } });
    const [record] = (await engine.run(workspace, { graph: simpleFlow }, records([5, 5]))).records;
    expect(record?._status.text).toBe(
      'node "rec" (action core/recognition@1 of plugin core) failed: task animal does not exist',
    );
  });

  it("stops and reports records when the request is aborted", async () => {
    const { engine, workspace } = setup();
    const flow = graph([["slow", "acme/set@1", { field: "x", value: 1, delayMs: 5_000 }]], [["in", "next", "slow"]]);
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error("client went away")), 20);
    const result = await engine.run(workspace, { graph: flow }, records([5, 5]), { signal: controller.signal });
    expect(result.records[0]?._status).toEqual({ code: 503, text: "processing was aborted: client went away" });
    expect(result.statistics.credits).toBe(0);
  });
});

describe("failing services and crops", () => {
  const serviceFlow = (mode: string) =>
    graph(
      [
        ["svc", "core/service@1", { action: "acme/broken-service@1", config: { mode } }],
        ["ok", "acme/set@1", { field: "ok", value: true }],
      ],
      [
        ["in", "next", "svc"],
        ["in", "next", "ok"],
      ],
    );

  it("names the service and its plugin when a service throws", async () => {
    const { engine, workspace } = setup();
    const [record] = (await engine.run(workspace, { graph: serviceFlow("throw") }, records([5, 5]))).records;
    expect(record?._status.text).toBe(
      'node "svc" (action core/service@1 of plugin core) failed: service acme/broken-service@1 of plugin acme failed: the OCR backend is down',
    );
    expect(record).toMatchObject({ ok: true });
  });

  it("checks a service's output against the service's own writes schema", async () => {
    const { engine, workspace } = setup();
    const [record] = (await engine.run(workspace, { graph: serviceFlow("bad-output") }, records([5, 5]))).records;
    expect(record?._status.text).toMatch(
      /service acme\/broken-service@1 of plugin acme wrote fields that do not match its declared writes schema: "text" must be string/,
    );
    expect(record).not.toHaveProperty("text");
  });

  it("checks the objects a service returns against the service's declared object fields", async () => {
    const { engine, workspace } = setup();
    const [record] = (await engine.run(workspace, { graph: serviceFlow("bad-object") }, records([5, 5]))).records;
    expect(record?._status.text).toMatch(
      /service acme\/broken-service@1 of plugin acme returned an object that does not match its declared object fields: .*text.* must be string/,
    );
    expect(record).not.toHaveProperty("_objects");
  });

  it("fails the fan-out of an object whose box cannot be cropped, and runs the other objects", async () => {
    const runtime = new FakeRuntime({
      pets: detects([
        { name: "dog", prob: 0.9, bound_box: [0, 0, 10, 10] },
        { name: "ghost", prob: 0.8, bound_box: [50, 50, 50, 50] },
      ]),
    });
    const engine = new FlowEngine({ registry: testRegistry(), runtime });
    const workspace = fakeWorkspace({ tasks: { pets: "detection" } });
    const flow = graph(
      [
        ["sel", "core/object-selector@1", { task: "pets" }],
        ["mark", "acme/set@1", { field: "seen", value: true }],
      ],
      [
        ["in", "next", "sel"],
        ["sel", "objects", "mark"],
      ],
    );
    const [record] = (await engine.run(workspace, { graph: flow }, records([100, 100]))).records;
    expect(record?._status.text).toBe(
      'node "sel" (action core/object-selector@1 of plugin core) on object 1 failed: could not crop object at [50, 50, 50, 50]: box [50, 50, 50, 50] is empty',
    );
    expect(record?._objects).toEqual([
      { name: "dog", prob: 0.9, bound_box: [0, 0, 10, 10], seen: true },
      { name: "ghost", prob: 0.8, bound_box: [50, 50, 50, 50] },
    ]);
  });
});
