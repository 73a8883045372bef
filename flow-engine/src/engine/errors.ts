/** Errors the engine raises for a whole request, and how per-record and per-node errors are reported. */
import type { RecordStatus } from "@vizflow/sdk";

/** The flow, or the requested version of it, does not exist (HTTP 404). */
export class FlowNotFoundError extends Error {
  readonly status = 404;
  constructor(
    readonly flowId: string,
    readonly version?: number | "deployed",
  ) {
    super(
      version === undefined
        ? `flow ${flowId} does not exist`
        : version === "deployed"
          ? `flow ${flowId} does not exist or has no deployed version`
          : `flow ${flowId} has no version ${version}`,
    );
    this.name = "FlowNotFoundError";
  }
}

/** A node run took longer than its action allows. */
export class NodeTimeoutError extends Error {
  constructor(readonly timeoutMs: number) {
    super(`timed out after ${timeoutMs} ms`);
    this.name = "NodeTimeoutError";
  }
}

/** A node that failed on one scope of one record. */
export interface NodeFailure {
  nodeId: string;
  /** `<plugin>/<action>@<major>` */
  action: string;
  plugin: string;
  /** Object indices from the record down to the scope the node ran on (empty for the record). */
  objectPath: readonly number[];
  message: string;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** The HTTP-like status an error carries (`status` or `statusCode`), or `fallback`. */
export function statusOf(error: unknown, fallback: number): number {
  if (typeof error === "object" && error !== null) {
    const { status, statusCode } = error as { status?: unknown; statusCode?: unknown };
    for (const code of [status, statusCode]) {
      if (typeof code === "number" && Number.isInteger(code) && code >= 400 && code <= 599) return code;
    }
  }
  return fallback;
}

/** One line naming the node, its action and plugin, where it ran, and what went wrong. */
export function describeFailure(failure: NodeFailure): string {
  const where = failure.objectPath.length === 0 ? "" : ` on object ${failure.objectPath.join(".")}`;
  return `node "${failure.nodeId}" (action ${failure.action} of plugin ${failure.plugin})${where} failed: ${failure.message}`;
}

/** `_status` of a record whose image was read and whose nodes ran: 500 naming every failed node. */
export function recordStatus(failures: readonly NodeFailure[]): RecordStatus {
  if (failures.length === 0) return { code: 200, text: "OK" };
  const lines = failures.map(describeFailure);
  return {
    code: 500,
    text: failures.length === 1 ? (lines[0] as string) : `${failures.length} nodes failed: ${lines.join("; ")}`,
  };
}
