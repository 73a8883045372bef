"use client";

import Form from "@rjsf/core";
import validator from "@rjsf/validator-ajv8";
import { FORM_CLASSES, FORM_TEMPLATES } from "../editor/form-templates";
import { PARAMS_FORM_DEFAULTS, type DecoderChoice } from "./decoder-choice";

/** The decoder's params as a form built from its params schema (a built-in decoder's or a plugin's). */
export function DecoderParamsForm({
  decoder,
  params,
  disabled,
  onChange,
}: {
  decoder: DecoderChoice;
  params: Record<string, unknown>;
  disabled?: boolean;
  onChange: (params: Record<string, unknown>) => void;
}) {
  return (
    <div className={FORM_CLASSES} data-testid="decoder-params-form">
      <Form
        key={decoder.id}
        tagName="div"
        schema={decoder.params}
        formData={params}
        validator={validator}
        templates={FORM_TEMPLATES}
        showErrorList={false}
        noHtml5Validate
        experimental_defaultFormStateBehavior={PARAMS_FORM_DEFAULTS}
        disabled={disabled ?? false}
        onChange={(event) => onChange((event.formData ?? {}) as Record<string, unknown>)}
      />
    </div>
  );
}
