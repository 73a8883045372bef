"use client";

/**
 * rjsf templates for arrays and their buttons. rjsf's core theme draws array buttons as Bootstrap
 * glyphicons, which this app does not load, so they showed as blank squares; here every array has a
 * visible title and every button says what it does ("Add test", "Remove test 2").
 */
import {
  buttonId,
  getUiOptions,
  titleId,
  type ArrayFieldItemButtonsTemplateProps,
  type ArrayFieldItemTemplateProps,
  type ArrayFieldTemplateProps,
  type IconButtonProps,
  type RJSFSchema,
  type TemplatesType,
} from "@rjsf/utils";
import type { ReactNode } from "react";
import { buttonClasses } from "../ui/button";
import { cn } from "../ui/cn";

/** What one entry of an array is called in its buttons: the items' title, else "item". */
export function itemNoun(schema: RJSFSchema): string {
  const items = schema.items;
  const title = items !== undefined && typeof items === "object" && !Array.isArray(items) ? items.title : undefined;
  return typeof title === "string" && title !== "" ? title.toLowerCase() : "item";
}

/** A field's name as a title, for arrays whose schema has none (`maxObjects` → "Max objects"). */
export function titleFromName(name: string): string {
  const words = name
    .replace(/[_-]+/g, " ")
    .replace(/([a-z0-9])([A-Z])/g, "$1 $2")
    .trim()
    .toLowerCase();
  return words === "" ? "" : words[0]?.toUpperCase() + words.slice(1);
}

const small = cn(buttonClasses("outline", "sm"), "h-7 px-2");

function TextButton({ children, className, ...props }: IconButtonProps & { children: ReactNode }) {
  const { iconType: _iconType, icon: _icon, uiSchema: _uiSchema, registry: _registry, ...button } = props;
  return (
    <button type="button" className={cn(small, className)} {...button}>
      {children}
    </button>
  );
}

function ArrayFieldTemplate(props: ArrayFieldTemplateProps) {
  const { canAdd, disabled, readonly, fieldPathId, uiSchema, items, onAddClick, registry, required, schema, title } =
    props;
  const options = getUiOptions(uiSchema, registry.globalUiOptions);
  const last = fieldPathId.path[fieldPathId.path.length - 1];
  const heading = options.title ?? (title || titleFromName(typeof last === "string" ? last : ""));
  const description = options.description ?? schema.description;
  const noun = itemNoun(schema);
  return (
    <fieldset className="grid gap-2" id={fieldPathId.$id} data-array-field={heading}>
      <div className="text-xs font-medium" id={titleId(fieldPathId)}>
        {heading}
        {required ? <span className="text-destructive"> *</span> : null}
      </div>
      {description ? <p className="text-xs text-muted-foreground">{description}</p> : null}
      {items.length > 0 && <div className="grid gap-2">{items}</div>}
      {canAdd && (
        <div>
          <button
            type="button"
            id={buttonId(fieldPathId, "add")}
            className={small}
            disabled={disabled || readonly}
            onClick={onAddClick}
          >
            + Add {noun}
          </button>
        </div>
      )}
    </fieldset>
  );
}

function ArrayFieldItemTemplate(props: ArrayFieldItemTemplateProps) {
  const { children, buttonsProps, hasToolbar, index, schema } = props;
  if (schema.type !== "object") {
    return (
      <div className="flex items-start gap-2">
        <div className="min-w-0 flex-1">{children}</div>
        {hasToolbar && (
          <div className="flex shrink-0 gap-1">
            <ArrayFieldItemButtonsTemplate {...buttonsProps} />
          </div>
        )}
      </div>
    );
  }
  const noun = typeof schema.title === "string" && schema.title !== "" ? schema.title : "Item";
  return (
    <div className="grid gap-2 rounded-md border p-2" data-array-item={index}>
      <div className="flex items-center gap-1">
        <span className="mr-auto text-xs font-medium text-muted-foreground">
          {noun} {index + 1}
        </span>
        {hasToolbar && <ArrayFieldItemButtonsTemplate {...buttonsProps} />}
      </div>
      {children}
    </div>
  );
}

function ArrayFieldItemButtonsTemplate(props: ArrayFieldItemButtonsTemplateProps) {
  const { disabled, readonly, hasCopy, hasMoveDown, hasMoveUp, hasRemove, fieldPathId, index, schema } = props;
  const noun = `${typeof schema.title === "string" && schema.title !== "" ? schema.title.toLowerCase() : "item"} ${index + 1}`;
  const off = disabled || readonly;
  return (
    <>
      {(hasMoveUp || hasMoveDown) && (
        <>
          <button
            type="button"
            id={buttonId(fieldPathId, "moveUp")}
            className={small}
            disabled={off || !hasMoveUp}
            aria-label={`Move ${noun} up`}
            title={`Move ${noun} up`}
            onClick={props.onMoveUpItem}
          >
            ↑ Up
          </button>
          <button
            type="button"
            id={buttonId(fieldPathId, "moveDown")}
            className={small}
            disabled={off || !hasMoveDown}
            aria-label={`Move ${noun} down`}
            title={`Move ${noun} down`}
            onClick={props.onMoveDownItem}
          >
            ↓ Down
          </button>
        </>
      )}
      {hasCopy && (
        <button
          type="button"
          id={buttonId(fieldPathId, "copy")}
          className={small}
          disabled={off}
          aria-label={`Copy ${noun}`}
          onClick={props.onCopyItem}
        >
          Copy
        </button>
      )}
      {hasRemove && (
        <button
          type="button"
          id={buttonId(fieldPathId, "remove")}
          className={cn(small, "text-destructive")}
          disabled={off}
          aria-label={`Remove ${noun}`}
          title={`Remove ${noun}`}
          onClick={props.onRemoveItem}
        >
          Remove
        </button>
      )}
    </>
  );
}

/** The templates every settings form uses (arrays, and the buttons of additional properties). */
export const FORM_TEMPLATES: Partial<TemplatesType> = {
  ArrayFieldTemplate,
  ArrayFieldItemTemplate,
  ArrayFieldItemButtonsTemplate,
  ButtonTemplates: {
    SubmitButton: () => null,
    AddButton: (props: IconButtonProps) => <TextButton {...props}>+ Add</TextButton>,
    CopyButton: (props: IconButtonProps) => <TextButton {...props}>Copy</TextButton>,
    MoveDownButton: (props: IconButtonProps) => <TextButton {...props}>↓ Down</TextButton>,
    MoveUpButton: (props: IconButtonProps) => <TextButton {...props}>↑ Up</TextButton>,
    RemoveButton: (props: IconButtonProps) => (
      <TextButton {...props} className="text-destructive">
        Remove
      </TextButton>
    ),
    ClearButton: (props: IconButtonProps) => <TextButton {...props}>Clear</TextButton>,
  },
};

// rjsf's core theme renders plain markup with Bootstrap class names; these give it the app's look.
export const FORM_CLASSES = [
  "text-sm",
  "[&_fieldset]:grid [&_fieldset]:gap-3 [&_legend]:hidden",
  "[&_.form-group]:grid [&_.form-group]:gap-1",
  "[&_label.control-label]:text-xs [&_label.control-label]:font-medium",
  "[&_input[type=text]]:h-9 [&_input[type=text]]:w-full [&_input[type=text]]:rounded-md [&_input[type=text]]:border [&_input[type=text]]:px-2",
  "[&_input[type=number]]:h-9 [&_input[type=number]]:w-full [&_input[type=number]]:rounded-md [&_input[type=number]]:border [&_input[type=number]]:px-2",
  "[&_select]:h-9 [&_select]:w-full [&_select]:rounded-md [&_select]:border [&_select]:px-2",
  "[&_.help-block]:text-xs [&_.help-block]:text-muted-foreground [&_.field-description]:text-xs [&_.field-description]:text-muted-foreground",
  "[&_.error-detail]:text-xs [&_.error-detail]:text-destructive [&_.has-error_input]:border-destructive",
  "[&_.radio-inline]:mr-3 [&_.radio]:flex [&_.radio]:gap-3",
  "[&_.btn]:rounded-md [&_.btn]:border [&_.btn]:px-2 [&_.btn]:text-xs",
].join(" ");
