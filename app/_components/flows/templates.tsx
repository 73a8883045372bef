"use client";

import { useMutation, useQuery } from "@tanstack/react-query";
import { useState } from "react";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { useWorkspace } from "../shell/workspace-context";
import { Button, buttonClasses } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { DropdownMenu } from "../ui/dropdown-menu";
import { FormError, TextField } from "../ui/field";

export interface TemplateSummary {
  id: string;
  title: string;
  description: string;
  toChoose: string[];
}

export function useTemplates() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  return useQuery(trpc.flowTransfer.templates.queryOptions({ workspaceId: workspace.id }));
}

/** The starter templates as cards, on the empty flows page. */
export function TemplateGallery({ onPick }: { onPick: (template: TemplateSummary) => void }) {
  const templates = useTemplates();
  return (
    <section className="grid gap-3" aria-label="Start from a template">
      <h2 className="text-sm font-semibold">Start from a template</h2>
      <FormError message={templates.error?.message} />
      <ul className="grid gap-3 sm:grid-cols-2">
        {templates.data?.map((template) => (
          <li
            key={template.id}
            className="grid content-between gap-3 rounded-lg border p-4"
            data-template={template.id}
          >
            <div className="grid gap-1">
              <h3 className="font-medium">{template.title}</h3>
              <p className="text-sm text-muted-foreground">{template.description}</p>
              <p className="text-xs text-muted-foreground">
                {template.toChoose.length === 0
                  ? "Needs no task: runs as it is."
                  : `You choose ${template.toChoose.join(" and ")}.`}
              </p>
            </div>
            <Button size="sm" variant="outline" className="justify-self-start" onClick={() => onPick(template)}>
              Use this template
            </Button>
          </li>
        ))}
      </ul>
    </section>
  );
}

/** "New from template" beside "New flow". */
export function TemplateMenu({ onPick }: { onPick: (template: TemplateSummary) => void }) {
  const templates = useTemplates();
  return (
    <DropdownMenu
      trigger="New from template"
      triggerLabel="New from template"
      triggerClassName={buttonClasses("outline")}
    >
      {(close) =>
        templates.data?.map((template) => (
          <button
            key={template.id}
            type="button"
            role="menuitem"
            className="grid w-full gap-0.5 rounded-md px-3 py-2 text-left text-sm hover:bg-accent"
            onClick={() => {
              close();
              onPick(template);
            }}
          >
            <span className="font-medium">{template.title}</span>
            <span className="text-xs text-muted-foreground">{template.description}</span>
          </button>
        ))
      }
    </DropdownMenu>
  );
}

/** Names the flow a template creates, then creates it. */
export function TemplateDialog({
  template,
  onClose,
  onCreated,
}: {
  template: TemplateSummary;
  onClose: () => void;
  onCreated: (flowId: string) => void;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [name, setName] = useState(template.title);
  const create = useMutation(trpc.flowTransfer.createFromTemplate.mutationOptions());
  const nameError = fieldErrors(create.error).name;
  const submit = () =>
    create.mutate(
      { workspaceId: workspace.id, templateId: template.id, name },
      { onSuccess: (result) => onCreated(result.id) },
    );
  return (
    <Dialog
      open
      onClose={onClose}
      title={`New flow: ${template.title}`}
      description={template.description}
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="template-form" pending={create.isPending}>
            Create and open
          </Button>
        </>
      }
    >
      <form
        id="template-form"
        className="grid gap-3"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <TextField
          id="template-flow-name"
          label="Flow name"
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          error={nameError ?? (create.error && nameError === undefined ? create.error.message : undefined)}
        />
        {template.toChoose.length > 0 && (
          <p className="text-sm text-muted-foreground">
            In the editor, choose {template.toChoose.join(" and ")}; the Problems tab lists what is left.
          </p>
        )}
      </form>
    </Dialog>
  );
}
