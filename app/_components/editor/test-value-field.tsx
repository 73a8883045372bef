"use client";

import type { FieldPathList, FieldProps } from "@rjsf/utils";
import { useEffect, useState } from "react";
import { controlClasses } from "../ui/input";
import { cn } from "../ui/cn";
import {
  convertScalar,
  fitValue,
  isScalar,
  parseScalar,
  SCALAR_TYPE_NAMES,
  scalarTypeOf,
  valueKind,
  type Scalar,
  type ScalarType,
} from "./test-value";
import type { PickerContext } from "./widgets";

function readAt(root: unknown, path: FieldPathList): unknown {
  let at = root;
  for (const segment of path) {
    if (typeof at !== "object" || at === null) return undefined;
    at = (at as Record<string | number, unknown>)[segment];
  }
  return at;
}

function TypeSelect({
  id,
  value,
  types,
  disabled,
  onChange,
}: {
  id: string;
  value: ScalarType;
  types: readonly ScalarType[];
  disabled: boolean;
  onChange: (type: ScalarType) => void;
}) {
  return (
    <select
      id={id}
      aria-label="Type of the value"
      className={cn(controlClasses, "px-2")}
      value={value}
      disabled={disabled}
      onChange={(e) => onChange(e.target.value as ScalarType)}
    >
      {types.map((t) => (
        <option key={t} value={t}>
          {SCALAR_TYPE_NAMES[t]}
        </option>
      ))}
    </select>
  );
}

/** One value typed as `type`; numbers keep what was typed until it reads as a number. */
function ScalarInput({
  id,
  label,
  type,
  value,
  disabled,
  onChange,
  onEnter,
}: {
  id: string;
  label: string;
  type: ScalarType;
  value: Scalar | undefined;
  disabled: boolean;
  onChange: (value: Scalar | undefined, text: string) => void;
  onEnter?: () => void;
}) {
  const [text, setText] = useState(value === undefined ? "" : String(value));
  // An undo or another operator replaces the value from outside: show it (what was typed stays otherwise).
  const [shown, setShown] = useState({ value, type });
  if (shown.value !== value || shown.type !== type) {
    setShown({ value, type });
    if (parseScalar(text, type) !== value) setText(value === undefined ? "" : String(value));
  }
  if (type === "boolean") {
    return (
      <select
        id={id}
        aria-label={label}
        className={controlClasses}
        value={value === undefined ? "" : String(value)}
        disabled={disabled}
        onChange={(e) => onChange(parseScalar(e.target.value, "boolean"), e.target.value)}
      >
        <option value="">Choose…</option>
        <option value="true">true</option>
        <option value="false">false</option>
      </select>
    );
  }
  return (
    <input
      id={id}
      type="text"
      aria-label={label}
      inputMode={type === "number" ? "decimal" : undefined}
      className={controlClasses}
      placeholder={type === "number" ? "e.g. 0.8" : "e.g. cat"}
      value={text}
      disabled={disabled}
      onChange={(e) => {
        setText(e.target.value);
        onChange(parseScalar(e.target.value, type), e.target.value);
      }}
      onKeyDown={(e) => {
        if (e.key === "Enter") {
          e.preventDefault();
          onEnter?.();
        }
      }}
    />
  );
}

/**
 * The value of a Condition's test (`"ui:field": "test-value"`): the operator has already chosen its
 * schema, so this draws nothing for `exists`, a number for comparisons, a list for `in`, and text /
 * number / true-false for `==`, `!=`, `contains`, starting from the type of the field being tested.
 */
export function TestValueField(props: FieldProps) {
  const { schema, fieldPathId, onChange, registry } = props;
  const formData = props.formData as unknown;
  const kind = valueKind(schema);
  const { fields, config } = registry.formContext as PickerContext;
  const testedPath = readAt(config, [...fieldPathId.path.slice(0, -1), "field"]);
  const testedType = fields.find((f) => f.path === testedPath)?.type;
  const [type, setType] = useState<ScalarType>(() => scalarTypeOf(formData, testedType));
  const [draft, setDraft] = useState<{ value: Scalar | undefined; text: string }>({ value: undefined, text: "" });
  const disabled = Boolean(props.disabled || props.readonly);
  const id = fieldPathId.$id;
  const set = (value: unknown) => onChange(value, fieldPathId.path);

  // A new operator may not take the old value as it is: carry it over (a list of one, a number) or drop it.
  const fitted = fitValue(kind, formData);
  const fits = JSON.stringify(fitted) === JSON.stringify(formData);
  useEffect(() => {
    if (!fits) onChange(fitted, fieldPathId.path);
  });

  if (kind === "none") return null;
  const title = typeof schema.title === "string" ? schema.title : "Value";
  const label = <span className="text-xs font-medium">{title}</span>;
  if (kind === "number") {
    return (
      <div className="grid gap-1" data-test-value="number">
        <label htmlFor={id}>{label}</label>
        <ScalarInput
          id={id}
          label={title}
          type="number"
          value={typeof formData === "number" ? formData : undefined}
          disabled={disabled}
          onChange={(value) => set(value)}
        />
      </div>
    );
  }
  if (kind === "scalar") {
    const value = isScalar(formData) ? formData : undefined;
    const shown = value === undefined ? type : scalarTypeOf(value);
    return (
      <div className="grid gap-1" data-test-value="scalar">
        <label htmlFor={id}>{label}</label>
        <div className="grid grid-cols-[8.5rem_minmax(0,1fr)] gap-1.5">
          <TypeSelect
            id={`${id}-type`}
            value={shown}
            types={["string", "number", "boolean"]}
            disabled={disabled}
            onChange={(next) => {
              setType(next);
              set(convertScalar(value, next));
            }}
          />
          <ScalarInput id={id} label={title} type={shown} value={value} disabled={disabled} onChange={set} />
        </div>
      </div>
    );
  }
  const items = Array.isArray(formData) ? formData.filter(isScalar) : [];
  const listType: ScalarType = items.length > 0 ? scalarTypeOf(items) : type === "boolean" ? "string" : type;
  const add = () => {
    if (draft.value === undefined || items.includes(draft.value)) return;
    set([...items, draft.value]);
    setDraft({ value: undefined, text: "" });
  };
  return (
    <div className="grid gap-1" data-test-value="list">
      <label htmlFor={id}>{label}</label>
      {items.length > 0 && (
        <ul className="flex flex-wrap gap-1" aria-label={`${title} of the test`}>
          {items.map((item) => (
            <li
              key={String(item)}
              className="flex items-center gap-1 rounded border bg-secondary py-0.5 pl-2 pr-0.5 text-xs"
              data-chip={String(item)}
            >
              {String(item)}
              <button
                type="button"
                className="rounded px-1 leading-none hover:bg-background"
                aria-label={`Remove ${String(item)}`}
                disabled={disabled}
                onClick={() => {
                  const rest = items.filter((i) => i !== item);
                  set(rest.length === 0 ? undefined : rest);
                }}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
      <div className="grid grid-cols-[8.5rem_minmax(0,1fr)_auto] gap-1.5">
        <TypeSelect
          id={`${id}-type`}
          value={listType}
          types={["string", "number"]}
          disabled={disabled || items.length > 0}
          onChange={setType}
        />
        <ScalarInput
          key={`${listType}-${items.length}`}
          id={id}
          label={`Add to ${title.toLowerCase()}`}
          type={listType}
          value={draft.value}
          disabled={disabled}
          onChange={(value, text) => setDraft({ value, text })}
          onEnter={add}
        />
        <button
          type="button"
          className={cn(controlClasses, "w-auto px-3 text-xs font-medium")}
          disabled={disabled || draft.value === undefined}
          onClick={add}
        >
          Add
        </button>
      </div>
      <p className="text-xs text-muted-foreground">Type a value and press Enter or Add; one entry per value.</p>
    </div>
  );
}
