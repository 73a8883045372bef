"use client";

import Form from "@rjsf/core";
import type { ErrorSchema, UiSchema } from "@rjsf/utils";
import validator from "@rjsf/validator-ajv8";
import type { ActionManifest, FlowGraph, FlowNode, GraphProblem } from "@vizflow/sdk";
import { INPUT_ACTION } from "@vizflow/sdk";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { FORM_DEFAULTS } from "./form-state";
import { FORM_CLASSES, FORM_TEMPLATES } from "./form-templates";
import { sameTaskUpstream } from "./model-reuse";
import { NodeRuns } from "./node-runs";
import { afterFormChange, calledService, nodeForm, nodeTitle } from "./service-nodes";
import type { NodeOutcome } from "./test-outcomes";
import { PICKER_FIELDS, PICKER_WIDGETS, type PickerContext } from "./widgets";

const BUILTIN_WIDGETS = new Set([
  "radio",
  "select",
  "checkboxes",
  "checkbox",
  "textarea",
  "updown",
  "range",
  "hidden",
  "text",
]);

/** UI hints with widgets this form cannot draw left out, so an unknown hint never breaks the form. */
export function toUiSchema(hints: Record<string, unknown> | undefined): UiSchema {
  const walk = (value: unknown): unknown => {
    if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
    const out: Record<string, unknown> = {};
    for (const [key, inner] of Object.entries(value)) {
      if (key === "ui:widget" && typeof inner === "string" && !(inner in PICKER_WIDGETS) && !BUILTIN_WIDGETS.has(inner))
        continue;
      if (key === "ui:field" && typeof inner === "string" && !(inner in PICKER_FIELDS)) continue;
      out[key] = walk(inner);
    }
    return out;
  };
  return { ...(walk(hints ?? {}) as UiSchema), "ui:submitButtonOptions": { norender: true } };
}

/** The validator's problems of one node as rjsf's error schema, each under its config path. */
export function problemsToErrorSchema(problems: readonly GraphProblem[]): ErrorSchema {
  const root: Record<string, unknown> = {};
  for (const problem of problems) {
    if (problem.path === undefined || problem.path === "") continue;
    let at = root;
    for (const segment of problem.path.split("/").slice(1)) {
      at = (at[segment] ??= {}) as Record<string, unknown>;
    }
    // The field's own sentence ("Choose a task."); the full message names the node, which is already open.
    ((at.__errors ??= []) as string[]).push(problem.fieldMessage ?? problem.message);
  }
  return root as ErrorSchema;
}

export interface ConfigPanelProps {
  node: FlowNode;
  manifest: ActionManifest | undefined;
  /** Every enabled action, for the settings form of the service a Service node calls. */
  manifests: ReadonlyMap<string, ActionManifest>;
  problems: readonly GraphProblem[];
  pickers: Omit<PickerContext, "config">;
  /** The graph the node is in, to say when a model upstream already ran this node's task. */
  graph?: FlowGraph | undefined;
  outcome: NodeOutcome | undefined;
  readOnly: boolean;
  /** Present when the node runs in a sequence: moves it among its siblings. */
  onMove?: ((delta: -1 | 1) => void) | undefined;
  onChange: (node: FlowNode) => void;
}

/** The selected node's settings: its name, its config form (from the action's JSON Schema), and its last test run. */
export function ConfigPanel({
  node,
  manifest,
  manifests,
  problems,
  pickers,
  graph,
  outcome,
  readOnly,
  onMove,
  onChange,
}: ConfigPanelProps) {
  const isInput = node.action === INPUT_ACTION;
  const general = problems.filter((p) => p.path === undefined || p.path === "");
  const taskTypeOf = (id: string) => pickers.tasks.find((t) => t.id === id)?.type;
  const form = manifest ? nodeForm(node, manifest, manifests, taskTypeOf) : undefined;
  const service = calledService(node, manifests);
  const rerun = graph ? sameTaskUpstream(graph, node.id, manifests) : undefined;
  const rerunTask = rerun && pickers.tasks.find((t) => t.id === rerun.config.task);
  return (
    <div className="grid gap-4" data-config-panel={node.id}>
      <div>
        <div className="text-xs uppercase tracking-wide text-muted-foreground">{manifest?.category ?? "Action"}</div>
        <h2 className="text-base font-semibold">{service?.title ?? manifest?.title ?? node.action}</h2>
        {(service ?? manifest) && <p className="text-xs text-muted-foreground">{(service ?? manifest)?.description}</p>}
        {service && (
          <p className="text-xs text-muted-foreground" data-service-credits>
            Service {service.ref}
            {service.credits === undefined
              ? ""
              : ` · ${service.credits} credit${service.credits === 1 ? "" : "s"} per call`}
          </p>
        )}
      </div>
      {!isInput && (
        <label className="grid gap-1 text-xs font-medium">
          Node name
          <Input
            value={node.label ?? ""}
            placeholder={service?.title ?? manifest?.title ?? ""}
            disabled={readOnly}
            onChange={(e) => {
              const { label: _old, ...rest } = node;
              onChange(e.target.value === "" ? rest : { ...rest, label: e.target.value });
            }}
          />
        </label>
      )}
      {rerun && (
        <p className="rounded-md border border-amber-300 bg-amber-50 p-2 text-xs text-amber-950" data-model-rerun>
          “{nodeTitle(rerun, manifests)}” above already runs the task{" "}
          {rerunTask ? `“${rerunTask.name}”` : "of this node"} on the same image or object, and this node runs that
          model again: twice the time and the credits. Prefer one of the two, or a Condition on the fields the first one
          wrote.
        </p>
      )}
      {general.length > 0 && (
        <ul className="grid gap-1 rounded-md border border-destructive/30 bg-destructive/5 p-2 text-xs text-destructive">
          {general.map((p, i) => (
            <li key={i}>{p.message}</li>
          ))}
        </ul>
      )}
      {onMove && (
        <div className="flex items-center gap-2 text-xs">
          <span className="text-muted-foreground">Order in the sequence</span>
          <Button size="sm" variant="outline" disabled={readOnly} onClick={() => onMove(-1)}>
            Earlier
          </Button>
          <Button size="sm" variant="outline" disabled={readOnly} onClick={() => onMove(1)}>
            Later
          </Button>
        </div>
      )}
      {manifest && !isInput && (
        <div className={FORM_CLASSES}>
          <Form
            schema={form?.schema ?? manifest.config}
            uiSchema={toUiSchema(form?.ui)}
            formData={node.config}
            validator={validator}
            widgets={PICKER_WIDGETS}
            fields={PICKER_FIELDS}
            templates={FORM_TEMPLATES}
            experimental_defaultFormStateBehavior={FORM_DEFAULTS}
            formContext={{ ...pickers, config: node.config }}
            extraErrors={problemsToErrorSchema(problems)}
            showErrorList={false}
            noHtml5Validate
            disabled={readOnly}
            onChange={(event) =>
              onChange({
                ...node,
                config: afterFormChange(node, (event.formData ?? {}) as Record<string, unknown>, manifests),
              })
            }
          />
        </div>
      )}
      {isInput && (
        <p className="text-sm text-muted-foreground">
          Every record enters here: its image and any fields the caller sends. Connect actions below it.
        </p>
      )}
      {outcome && <NodeRuns outcome={outcome} />}
    </div>
  );
}
