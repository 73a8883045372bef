/**
 * Walks an execution plan over one scope: runs each node with its timeout, checks its output, writes its
 * fields, then runs the children of the handles it took (per object for an `objects` handle).
 */
import type { ActionContext, ActionRegistry, DetectedObject, Logger, Scope } from "@vizflow/sdk";

import { mapLimit, withTimeout } from "./concurrency.js";
import { describeFailure, errorMessage, type NodeFailure } from "./errors.js";
import { checkOutput, type CheckedOutput } from "./node-output.js";
import type { ExecutionPlan, PlanHandle, PlanNode } from "./plan.js";
import { redactText } from "./redact.js";
import { ScopeView, type ScopeState } from "./scope.js";
import { callService } from "./service-call.js";
import type { ImageRuntime, Workspace } from "./sources.js";
import type { NodeTrace, TraceScope } from "./trace.js";

export interface ExecutionLimits {
  /** Timeout of a node whose action declares none. */
  defaultTimeoutMs: number;
  /** Objects of one fan-out processed at the same time. */
  objectConcurrency: number;
  /** Fan-out cap for actions that declare no `maxObjects`. */
  maxFanOut: number;
  /** How deep flows may nest at run time. */
  maxNestingDepth: number;
}

/** What the executor needs for one record; `depth` grows with nested flows. */
export interface ExecutionEnv {
  registry: ActionRegistry;
  runtime: ImageRuntime;
  workspace: Workspace;
  log: Logger;
  limits: ExecutionLimits;
  signal: AbortSignal;
  depth: number;
  loadPlan(flowId: string, version: number | "deployed"): Promise<ExecutionPlan>;
}

/** What one run of a plan (a record, or a nested flow inside it) adds up. */
export interface RunState {
  credits: number;
  failures: NodeFailure[];
  /** Present in debug runs. */
  trace?: NodeTrace[];
}

/** Runs a plan from its root on a scope. */
export function executePlan(
  plan: ExecutionPlan,
  scope: ScopeState,
  view: ScopeView,
  env: ExecutionEnv,
  state: RunState,
): Promise<void> {
  return runNode(plan.root, scope, view, env, state);
}

/** The machine-readable code an error carries (`ModelError`, `ImageError`, plugin errors), if any. */
function errorCode(error: unknown): string | undefined {
  const code = typeof error === "object" && error !== null ? (error as { code?: unknown }).code : undefined;
  return typeof code === "string" ? code : undefined;
}

function rootSize(scope: ScopeState): { width: number; height: number } | undefined {
  if (scope.root) return scope.root;
  return scope.kind === "record" ? { width: scope.image.width, height: scope.image.height } : undefined;
}

function traceScope(scope: ScopeState): TraceScope {
  return scope.kind === "record" || !scope.object
    ? { kind: "record" }
    : { kind: "object", path: scope.path, box: scope.object.bound_box };
}

/** A logger whose every line also carries `context` (the request's flow, the node a line is about). */
export function withLogContext(log: Logger, context: Record<string, unknown>): Logger {
  return {
    debug: (message, data) => log.debug(message, { ...context, ...data }),
    info: (message, data) => log.info(message, { ...context, ...data }),
    warn: (message, data) => log.warn(message, { ...context, ...data }),
    error: (message, data) => log.error(message, { ...context, ...data }),
  };
}

function nodeLogger(log: Logger, node: PlanNode, scope: ScopeState): Logger {
  return withLogContext(log, { nodeId: node.id, action: node.action.ref, objectPath: scope.path });
}

async function runNode(
  node: PlanNode,
  scope: ScopeState,
  view: ScopeView,
  env: ExecutionEnv,
  state: RunState,
): Promise<void> {
  const seen = { ...view.fields };
  // Later writes into objects would show through shared references; a trace shows the moment itself.
  const snapshot = <T>(value: T): T => (state.trace ? structuredClone(value) : value);
  const seenAtStart = snapshot(seen);
  const started = performance.now();
  let nestedTrace: NodeTrace[] | undefined;
  let output: CheckedOutput;
  try {
    const raw = await withTimeout(
      (signal) => {
        const scopeArg: Scope = { kind: scope.kind, fields: seen, ...(scope.object ? { object: scope.object } : {}) };
        const ctx: ActionContext = {
          image: scope.image,
          models: env.runtime.modelHost(scope.image, { tasks: env.workspace.tasks, signal }),
          log: nodeLogger(env.log, node, scope),
          signal,
          callAction: (ref, config) =>
            callService(env.registry, ref, config, ctx, scopeArg, env.limits.defaultTimeoutMs),
          runFlow: (flowId, version) =>
            runNestedFlow(flowId, version, scope, view, { ...env, signal }, state.trace && ((t) => (nestedTrace = t))),
        };
        return node.action.definition.run(ctx, scopeArg, node.config);
      },
      node.timeoutMs,
      env.signal,
    );
    output = checkOutput(raw, {
      writes: node.writes,
      objectFields: node.objectFields,
      handles: [...node.handles.values()].map((h) => h.spec),
      exclusive: node.exclusive,
      image: rootSize(scope),
    });
  } catch (error) {
    // A plugin's message may quote a URL or data it was given: it reaches logs and stored answers.
    const message = redactText(errorMessage(error));
    const failure = {
      nodeId: node.id,
      action: node.action.ref,
      plugin: node.action.plugin,
      objectPath: scope.path,
      message,
    };
    state.failures.push(failure);
    // Never image data: the failure names the node, and the error only by its code and message.
    env.log.warn("node failed", { ...failure, errorCode: errorCode(error) });
    state.trace?.push({
      nodeId: node.id,
      action: node.action.ref,
      scope: traceScope(scope),
      seen: seenAtStart,
      written: {},
      handles: [],
      timeMs: performance.now() - started,
      credits: 0,
      error: message,
      ...(nestedTrace ? { nested: nestedTrace } : {}),
    });
    return;
  }

  for (const [field, value] of Object.entries(output.write)) {
    scope.store[field] = value;
    view.write(field, value);
  }
  const credits = output.credits ?? node.credits;
  state.credits += credits;
  if (output.outside !== undefined) {
    // No pixel of theirs is in the image: no crop, no children, nothing billed for them.
    nodeLogger(env.log, node, scope).warn("objects entirely outside the image left out", { objects: output.outside });
  }
  const found = fanOutObjects(node, output, scope, view);
  const fanOut = found?.slice(0, node.maxObjects ?? env.limits.maxFanOut);
  const skipped = (found?.length ?? 0) - (fanOut?.length ?? 0);
  if (skipped > 0) {
    // The fan-out cap bounds what a call may cost; the objects stay in `_objects`, their children not run.
    nodeLogger(env.log, node, scope).warn("fan-out capped: objects left without their next actions", {
      objects: found?.length,
      ran: fanOut?.length,
    });
  }
  state.trace?.push({
    nodeId: node.id,
    action: node.action.ref,
    scope: traceScope(scope),
    seen: seenAtStart,
    written: snapshot(output.write),
    handles: [...output.take],
    ...(fanOut ? { objects: fanOut.length } : {}),
    ...(skipped > 0 ? { objectsSkipped: skipped } : {}),
    timeMs: performance.now() - started,
    credits,
    ...(nestedTrace ? { nested: nestedTrace } : {}),
  });

  const handles = output.take.map((id) => node.handles.get(id)).filter((h): h is PlanHandle => h !== undefined);
  const branches = handles.map(() => view.fork());
  await Promise.all(
    handles.map((handle, i) =>
      handle.spec.fanOut === "objects"
        ? runPerObject(node, handle, fanOut ?? [], scope, env, state)
        : runChildren(handle.children, node.sequential, scope, branches[i] as ScopeView, env, state),
    ),
  );
  for (const branch of branches) view.join(branch);
}

/**
 * The objects an `objects` handle fans out to (before the fan-out cap): those returned, else those written
 * under `_objects`. Each is made an element of the scope's `_objects`, so what its children write lands there.
 */
function fanOutObjects(
  node: PlanNode,
  output: CheckedOutput,
  scope: ScopeState,
  view: ScopeView,
): DetectedObject[] | undefined {
  const wantsObjects = output.take.some((id) => node.handles.get(id)?.spec.fanOut === "objects");
  if (!wantsObjects) return undefined;
  const written = output.write._objects;
  const objects = output.objects ?? (Array.isArray(written) ? (written as DetectedObject[]) : []);
  let list = scope.store._objects;
  if (!Array.isArray(list)) {
    list = [];
    scope.store._objects = list;
    view.write("_objects", list);
  }
  const stored = list as unknown[];
  for (const object of objects) if (!stored.includes(object)) stored.push(object);
  return objects;
}

async function runChildren(
  children: readonly PlanNode[],
  sequential: boolean,
  scope: ScopeState,
  view: ScopeView,
  env: ExecutionEnv,
  state: RunState,
): Promise<void> {
  if (sequential) {
    for (const child of children) {
      const branch = view.fork();
      await runNode(child, scope, branch, env, state);
      view.join(branch);
    }
    return;
  }
  const branches = children.map(() => view.fork());
  await Promise.all(children.map((child, i) => runNode(child, scope, branches[i] as ScopeView, env, state)));
  for (const branch of branches) view.join(branch);
}

async function runPerObject(
  node: PlanNode,
  handle: PlanHandle,
  objects: readonly DetectedObject[],
  scope: ScopeState,
  env: ExecutionEnv,
  state: RunState,
): Promise<void> {
  if (handle.children.length === 0) return;
  const stored = scope.store._objects as unknown[];
  await mapLimit(objects, env.limits.objectConcurrency, async (object) => {
    const path = [...scope.path, stored.indexOf(object)];
    let image;
    try {
      image = scope.image.crop(object.bound_box);
    } catch (error) {
      state.failures.push({
        nodeId: node.id,
        action: node.action.ref,
        plugin: node.action.plugin,
        objectPath: path,
        message: `could not crop object at [${object.bound_box.join(", ")}]: ${errorMessage(error)}`,
      });
      return;
    }
    const objectScope: ScopeState = { kind: "object", image, store: object, object, path, root: rootSize(scope) };
    await runChildren(handle.children, node.sequential, objectScope, new ScopeView(object), env, state);
  });
}

/** Runs another flow on the caller's scope; what it writes comes back as the caller's output. */
async function runNestedFlow(
  flowId: string,
  version: number | "deployed",
  scope: ScopeState,
  view: ScopeView,
  env: ExecutionEnv,
  onTrace: ((trace: NodeTrace[]) => void) | undefined,
): Promise<{ write: Record<string, unknown>; credits: number }> {
  if (env.depth >= env.limits.maxNestingDepth) {
    throw new Error(`flow ${flowId} would nest flows deeper than ${env.limits.maxNestingDepth} levels`);
  }
  const plan = await env.loadPlan(flowId, version);
  const nestedScope: ScopeState = { ...scope, store: {} };
  const nested: RunState = { credits: 0, failures: [], ...(onTrace ? { trace: [] } : {}) };
  await executePlan(plan, nestedScope, view.fork(), { ...env, depth: env.depth + 1 }, nested);
  if (nested.trace) onTrace?.(nested.trace);
  const first = nested.failures[0];
  if (first) {
    const more = nested.failures.length > 1 ? ` (and ${nested.failures.length - 1} more)` : "";
    throw new Error(`nested flow ${flowId}: ${describeFailure(first)}${more}`);
  }
  return { write: nestedScope.store, credits: nested.credits };
}
