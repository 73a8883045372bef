/**
 * The flow export file (format `vizflow.flow-export`, version 1): one saved version's graph plus what it
 * names outside itself, so another workspace can map them to its own. Documented in docs/flow-export.md.
 */
import {
  checkAgainstSchema,
  flowGraphSchema,
  TASK_TYPES,
  type FlowGraph,
  type JsonSchema,
  type TaskType,
} from "@vizflow/sdk";

export const FLOW_EXPORT_FORMAT = "vizflow.flow-export";
export const FLOW_EXPORT_VERSION = 1;

/** A task the graph names, as the exporting workspace knew it; `ref` is the id used in the graph's configs. */
export interface ExportedTask {
  ref: string;
  name: string;
  type: TaskType;
  labels: string[];
}

/** A flow a Nested Flow node runs; `ref` is the id used in the graph's configs. */
export interface ExportedFlow {
  ref: string;
  name: string;
}

export interface FlowExport {
  format: typeof FLOW_EXPORT_FORMAT;
  formatVersion: typeof FLOW_EXPORT_VERSION;
  /** ISO 8601 time of the export. */
  exportedAt: string;
  /** The exported flow and version, for the importer's default name. */
  flow: { name: string; version: number; message: string };
  graph: FlowGraph;
  tasks: ExportedTask[];
  flows: ExportedFlow[];
}

/** Most tasks or flows one file may list, and most labels per task (far above any real flow). */
export const MAX_EXPORT_ITEMS = 500;
export const MAX_EXPORT_LABELS = 10_000;

const text = (maxLength: number): JsonSchema => ({ type: "string", minLength: 1, maxLength });

const envelopeSchema: JsonSchema = {
  type: "object",
  required: ["format", "formatVersion", "flow", "graph", "tasks", "flows"],
  additionalProperties: false,
  properties: {
    format: { const: FLOW_EXPORT_FORMAT },
    formatVersion: { const: FLOW_EXPORT_VERSION },
    exportedAt: { type: "string", maxLength: 40 },
    flow: {
      type: "object",
      required: ["name", "version"],
      additionalProperties: false,
      properties: {
        name: text(100),
        version: { type: "integer", minimum: 1 },
        message: { type: "string", maxLength: 500 },
      },
    },
    // Checked against the flow graph schema on its own, so its messages point into "graph".
    graph: { type: "object" },
    tasks: {
      type: "array",
      maxItems: MAX_EXPORT_ITEMS,
      items: {
        type: "object",
        required: ["ref", "name", "type", "labels"],
        additionalProperties: false,
        properties: {
          ref: text(200),
          name: text(100),
          type: { enum: [...TASK_TYPES] },
          labels: { type: "array", maxItems: MAX_EXPORT_LABELS, items: text(200) },
        },
      },
    },
    flows: {
      type: "array",
      maxItems: MAX_EXPORT_ITEMS,
      items: {
        type: "object",
        required: ["ref", "name"],
        additionalProperties: false,
        properties: { ref: text(200), name: text(100) },
      },
    },
  },
};

export type ParsedExport = { ok: true; document: FlowExport } | { ok: false; problems: string[] };

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/**
 * Checks an uploaded file's content (already JSON-parsed) and returns the export, or every problem found,
 * each naming the field (`"tasks/0/type" must be one of …`).
 */
export function parseFlowExport(value: unknown): ParsedExport {
  if (!isObject(value)) return { ok: false, problems: ["The file must hold a JSON object (a Vizflow flow export)."] };
  if (value.format !== FLOW_EXPORT_FORMAT) {
    return {
      ok: false,
      problems: [
        `This is not a Vizflow flow export: its "format" is ${value.format === undefined ? "missing" : JSON.stringify(value.format)}, not "${FLOW_EXPORT_FORMAT}". Export the flow from a version in the editor.`,
      ],
    };
  }
  if (typeof value.formatVersion === "number" && value.formatVersion > FLOW_EXPORT_VERSION) {
    return {
      ok: false,
      problems: [
        `The file has "formatVersion" ${value.formatVersion}, from a newer Vizflow; this one reads version ${FLOW_EXPORT_VERSION}.`,
      ],
    };
  }
  const problems = checkAgainstSchema(envelopeSchema, value, "the file").map((v) => `${v.message}.`);
  if (isObject(value.graph)) {
    for (const violation of checkAgainstSchema(flowGraphSchema, value.graph, "graph")) {
      // The graph's pointers are relative to it; name them from the top of the file.
      problems.push(`${violation.message.replace(/^"/, '"graph/')}.`);
    }
  }
  if (problems.length > 0) return { ok: false, problems };
  const document = value as unknown as FlowExport;
  const refs = [...document.tasks.map((t) => t.ref), ...document.flows.map((f) => f.ref)];
  const repeated = refs.find((ref, i) => refs.indexOf(ref) !== i);
  if (repeated !== undefined) {
    return {
      ok: false,
      problems: [`The file lists "${repeated}" twice in "tasks" or "flows"; each ref appears once.`],
    };
  }
  return { ok: true, document };
}
