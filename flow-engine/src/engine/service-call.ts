/** `ctx.callAction`: runs a `service: true` action of any plugin on the caller's scope, checked like a node. */
import {
  checkAgainstSchema,
  disabledPluginName,
  type ActionContext,
  type ActionOutput,
  type ActionRegistry,
  type Scope,
} from "@vizflow/sdk";

import { withTimeout } from "./concurrency.js";
import { errorMessage } from "./errors.js";
import { InvalidPredictionError } from "../runtime/prediction-checks.js";
import { checkOutput } from "./node-output.js";

export async function callService(
  registry: ActionRegistry,
  ref: string,
  config: Record<string, unknown>,
  ctx: ActionContext,
  scope: Scope,
  defaultTimeoutMs: number,
): Promise<ActionOutput> {
  const service = registry.get(ref);
  if (!service) {
    const disabled = registry.disabledPlugin(ref.split("/", 1)[0] ?? "");
    if (disabled) {
      throw new Error(
        `service ${ref} belongs to plugin ${disabledPluginName(disabled)}, which is disabled: ${disabled.reason}`,
      );
    }
    throw new Error(`service ${ref} is not provided by any enabled plugin`);
  }
  if (!service.definition.service) throw new Error(`${ref} is not a service action`);
  const name = `service ${ref} of plugin ${service.plugin}`;
  const problems = checkAgainstSchema(service.definition.config, config, "its config");
  if (problems.length > 0) {
    throw new Error(`${name} got an invalid config: ${problems.map((p) => p.message).join("; ")}`);
  }
  const timeoutMs = service.definition.timeoutMs ?? defaultTimeoutMs;
  let output: unknown;
  try {
    output = await withTimeout(
      (signal) => service.definition.run({ ...ctx, signal }, scope, config),
      timeoutMs,
      ctx.signal,
    );
  } catch (error) {
    throw new Error(`${name} failed: ${errorMessage(error)}`, { cause: error });
  }
  let checked;
  try {
    checked = checkOutput(output, {
      writes: registry.writesOf(service, config),
      objectFields: registry.objectFieldsOf(service, config),
      handles: registry.handlesOf(service, config),
      exclusive: false,
    });
  } catch (error) {
    // The node's error keeps its code: a bad prediction of the service is invalid_prediction too.
    if (error instanceof InvalidPredictionError) throw new InvalidPredictionError(`${name} ${error.message}`);
    throw new Error(`${name} ${errorMessage(error)}`, { cause: error });
  }
  return {
    write: checked.write,
    ...(checked.objects === undefined ? {} : { objects: checked.objects }),
    credits: checked.credits ?? registry.creditsOf(service, config),
  };
}
