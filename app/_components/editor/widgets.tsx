"use client";

import type { RegistryFieldsType, RegistryWidgetsType, WidgetProps } from "@rjsf/utils";
import { controlClasses } from "../ui/input";
import { LabelPicker } from "./label-picker";
import { TestValueField } from "./test-value-field";

/** What the pickers choose from; passed to the form as its formContext. */
export interface PickerContext {
  tasks: { id: string; name: string; type: string; labels: string[] }[];
  flows: { id: string; name: string; latestVersion?: number | undefined; deployedVersion?: number | undefined }[];
  services: { ref: string; title: string }[];
  /** Field paths written before the selected node (Condition tests). */
  fields: { path: string; type: string }[];
  /** The node's whole config, for widgets that depend on a sibling (labels of the chosen task). */
  config: Record<string, unknown>;
  /** Excluded from the flow picker: a flow cannot nest itself. */
  currentFlowId: string;
}

function pickers(props: WidgetProps): PickerContext {
  return props.registry.formContext as PickerContext;
}

function option(props: WidgetProps, key: string): unknown {
  return (props.options as Record<string, unknown>)[key];
}

function TaskWidget(props: WidgetProps) {
  const { tasks } = pickers(props);
  const types = option(props, "taskTypes") as string[] | undefined;
  const offered = tasks.filter((t) => types === undefined || types.includes(t.type));
  const value = typeof props.value === "string" ? props.value : "";
  return (
    <>
      <select
        id={props.id}
        aria-label={props.label}
        className={controlClasses}
        value={value}
        disabled={props.disabled || props.readonly}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value)}
      >
        <option value="">Choose a task…</option>
        {offered.map((t) => (
          <option key={t.id} value={t.id}>
            {t.name} ({t.type})
          </option>
        ))}
        {value !== "" && !tasks.some((t) => t.id === value) && <option value={value}>Missing task {value}</option>}
      </select>
      {offered.length === 0 && (
        <p className="mt-1 text-xs text-muted-foreground">
          This workspace has no {types?.join(" or ") ?? ""} task yet; create one on the Tasks page.
        </p>
      )}
    </>
  );
}

function TaskLabelsWidget(props: WidgetProps) {
  const { tasks, config } = pickers(props);
  const taskField = (option(props, "taskField") as string | undefined) ?? "task";
  const task = tasks.find((t) => t.id === config[taskField]);
  // Only labels ever reach the config: an entry that is not a string (a `null` an older editor saved) is dropped.
  const selected = Array.isArray(props.value)
    ? (props.value as unknown[]).filter((l): l is string => typeof l === "string" && l !== "")
    : [];
  if (!task) return <p className="text-xs text-muted-foreground">Choose a task first; its labels appear here.</p>;
  return (
    <LabelPicker
      id={props.id}
      name={props.label || "Labels"}
      labels={task.labels}
      selected={selected}
      taskName={task.name}
      disabled={Boolean(props.disabled || props.readonly)}
      onChange={(next) => props.onChange(next.length === 0 && !props.required ? undefined : next)}
    />
  );
}

function FlowWidget(props: WidgetProps) {
  const { flows, currentFlowId } = pickers(props);
  return (
    <select
      id={props.id}
      aria-label={props.label}
      className={controlClasses}
      value={typeof props.value === "string" ? props.value : ""}
      disabled={props.disabled || props.readonly}
      onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value)}
    >
      <option value="">Choose a flow…</option>
      {flows
        .filter((f) => f.id !== currentFlowId)
        .map((f) => (
          <option key={f.id} value={f.id}>
            {f.name}
          </option>
        ))}
    </select>
  );
}

function FlowVersionWidget(props: WidgetProps) {
  const { flows, config } = pickers(props);
  const flowField = (option(props, "flowField") as string | undefined) ?? "flow";
  const flow = flows.find((f) => f.id === config[flowField]);
  const versions = Array.from({ length: flow?.latestVersion ?? 0 }, (_, i) => i + 1);
  return (
    <select
      id={props.id}
      aria-label={props.label}
      className={controlClasses}
      value={String(props.value ?? "deployed")}
      disabled={props.disabled || props.readonly}
      onChange={(e) => props.onChange(e.target.value === "deployed" ? "deployed" : Number(e.target.value))}
    >
      <option value="deployed">
        The deployed version{flow?.deployedVersion === undefined ? "" : ` (now v${flow.deployedVersion})`}
      </option>
      {versions.map((v) => (
        <option key={v} value={v}>
          Version {v}
        </option>
      ))}
    </select>
  );
}

function ServiceWidget(props: WidgetProps) {
  const { services } = pickers(props);
  return (
    <select
      id={props.id}
      aria-label={props.label}
      className={controlClasses}
      value={typeof props.value === "string" ? props.value : ""}
      disabled={props.disabled || props.readonly}
      onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value)}
    >
      <option value="">{services.length === 0 ? "No services are enabled" : "Choose a service…"}</option>
      {services.map((s) => (
        <option key={s.ref} value={s.ref}>
          {s.title}
        </option>
      ))}
    </select>
  );
}

function FieldPathWidget(props: WidgetProps) {
  const { fields } = pickers(props);
  const listId = `${props.id}-fields`;
  return (
    <>
      <input
        id={props.id}
        aria-label={props.label}
        list={listId}
        className={controlClasses}
        placeholder={fields[0]?.path ?? "best_label.name"}
        value={typeof props.value === "string" ? props.value : ""}
        disabled={props.disabled || props.readonly}
        onChange={(e) => props.onChange(e.target.value === "" ? undefined : e.target.value)}
      />
      <datalist id={listId}>
        {fields.map((f) => (
          <option key={f.path} value={f.path}>
            {f.type}
          </option>
        ))}
      </datalist>
    </>
  );
}

/** The pickers the core actions' UI hints name (`"ui:widget": "task"` and friends). */
export const PICKER_WIDGETS: RegistryWidgetsType = {
  task: TaskWidget,
  "task-labels": TaskLabelsWidget,
  flow: FlowWidget,
  "flow-version": FlowVersionWidget,
  service: ServiceWidget,
  "field-path": FieldPathWidget,
};

/** The fields the core actions' UI hints name (`"ui:field": "test-value"`). */
export const PICKER_FIELDS: RegistryFieldsType = {
  "test-value": TestValueField,
};
