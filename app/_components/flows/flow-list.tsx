"use client";

import Link from "next/link";
import { useRouter } from "next/navigation";
import { useDeferredValue, useState } from "react";
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { fieldErrors } from "@/_lib/field-errors";
import { hasRole } from "../roles";
import { useWorkspace } from "../shell/workspace-context";
import { Badge } from "../ui/badge";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError, TextField } from "../ui/field";
import { Input } from "../ui/input";
import { EmptyState } from "../ui/empty-state";
import { FlowIcon, PlusIcon } from "../icons";
import { timeAgo } from "./format";
import { ImportFlowDialog } from "./import-dialog";
import { TemplateDialog, TemplateGallery, TemplateMenu, type TemplateSummary } from "./templates";

interface FlowRow {
  id: string;
  name: string;
  latestVersion?: number | undefined;
  deployedVersion?: number | undefined;
  lastCalledAt?: string | Date | undefined;
}

type NameDialog = { kind: "create" } | { kind: "rename"; flow: FlowRow } | { kind: "duplicate"; flow: FlowRow };

type StartDialog = { kind: "import" } | { kind: "template"; template: TemplateSummary };

/** The workspace's flows: search, create (empty, from a template, or imported), rename, duplicate, delete. */
export function FlowList() {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [search, setSearch] = useState("");
  const deferredSearch = useDeferredValue(search.trim());
  const flows = useQuery(trpc.flow.list.queryOptions({ workspaceId: workspace.id, search: deferredSearch }));
  const canEdit = hasRole(workspace.role, "editor");
  const [dialog, setDialog] = useState<NameDialog | undefined>();
  const [deleting, setDeleting] = useState<FlowRow | undefined>();
  const [start, setStart] = useState<StartDialog | undefined>();
  const pickTemplate = (template: TemplateSummary) => setStart({ kind: "template", template });
  const created = async (id: string) => {
    setStart(undefined);
    await refresh();
    open(id);
  };

  const refresh = () => queryClient.invalidateQueries({ queryKey: trpc.flow.list.queryKey() });
  const open = (id: string) => router.push(`/w/${workspace.id}/flows/${id}`);
  const remove = useMutation(
    trpc.flow.delete.mutationOptions({
      onSuccess: async () => {
        setDeleting(undefined);
        await refresh();
      },
    }),
  );

  const rows = flows.data ?? [];
  const empty = flows.data !== undefined && rows.length === 0 && deferredSearch === "";
  return (
    <div className="grid gap-4">
      <div className="flex flex-col gap-3 sm:flex-row sm:items-center">
        <Input
          type="search"
          aria-label="Search flows"
          placeholder="Search flows by name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
          className="sm:max-w-xs"
        />
        {canEdit && (
          <div className="flex flex-wrap gap-2 sm:ml-auto">
            <Button variant="outline" onClick={() => setStart({ kind: "import" })}>
              Import
            </Button>
            <TemplateMenu onPick={pickTemplate} />
            <Button onClick={() => setDialog({ kind: "create" })}>
              <PlusIcon width={16} height={16} /> New flow
            </Button>
          </div>
        )}
      </div>
      <FormError message={flows.error?.message} />
      {flows.isPending && <p className="text-sm text-muted-foreground">Loading flows…</p>}
      {empty ? (
        <>
          <EmptyState icon={<FlowIcon width={22} height={22} />} title="This workspace has no flows yet">
            <p>
              A flow takes an image and runs it through the actions you connect: recognize, detect, branch on a label,
              crop each object and classify it again.{" "}
              {canEdit
                ? "Create one, start from a template, or import one exported elsewhere."
                : "Editors can create one."}
            </p>
          </EmptyState>
          {canEdit && <TemplateGallery onPick={pickTemplate} />}
        </>
      ) : (
        flows.data !== undefined && (
          <div className="overflow-x-auto rounded-lg border">
            <table className="w-full text-sm">
              <thead className="bg-muted/50 text-left text-xs text-muted-foreground">
                <tr>
                  <th className="px-4 py-2 font-medium">Name</th>
                  <th className="px-4 py-2 font-medium">Latest version</th>
                  <th className="px-4 py-2 font-medium">Deployed</th>
                  <th className="px-4 py-2 font-medium">Last called</th>
                  <th className="px-4 py-2" />
                </tr>
              </thead>
              <tbody className="divide-y">
                {rows.length === 0 && (
                  <tr>
                    <td colSpan={5} className="px-4 py-6 text-center text-muted-foreground">
                      No flow name contains “{deferredSearch}”.
                    </td>
                  </tr>
                )}
                {rows.map((flow) => (
                  <tr key={flow.id} data-flow={flow.name} className="hover:bg-muted/30">
                    <td className="px-4 py-3 font-medium">
                      <Link href={`/w/${workspace.id}/flows/${flow.id}`} className="hover:underline">
                        {flow.name}
                      </Link>
                    </td>
                    <td className="px-4 py-3">
                      {flow.latestVersion === undefined ? "Not saved yet" : `v${flow.latestVersion}`}
                    </td>
                    <td className="px-4 py-3">
                      {flow.deployedVersion === undefined ? (
                        <span className="text-muted-foreground">Not deployed</span>
                      ) : (
                        <Badge>v{flow.deployedVersion} live</Badge>
                      )}
                    </td>
                    <td className="px-4 py-3 text-muted-foreground">
                      {flow.lastCalledAt === undefined ? "Never" : timeAgo(flow.lastCalledAt)}
                    </td>
                    <td className="px-4 py-3">
                      {canEdit && (
                        <div className="flex justify-end gap-1">
                          <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "rename", flow })}>
                            Rename
                          </Button>
                          <Button size="sm" variant="ghost" onClick={() => setDialog({ kind: "duplicate", flow })}>
                            Duplicate
                          </Button>
                          <Button size="sm" variant="ghost" onClick={() => setDeleting(flow)}>
                            Delete
                          </Button>
                        </div>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )
      )}
      {dialog !== undefined && (
        <FlowNameDialog
          dialog={dialog}
          onClose={() => setDialog(undefined)}
          onDone={async (id) => {
            const kind = dialog.kind;
            setDialog(undefined);
            await refresh();
            if (kind !== "rename") open(id);
          }}
        />
      )}
      {start?.kind === "import" && (
        <ImportFlowDialog onClose={() => setStart(undefined)} onImported={(id) => void created(id)} />
      )}
      {start?.kind === "template" && (
        <TemplateDialog
          template={start.template}
          onClose={() => setStart(undefined)}
          onCreated={(id) => void created(id)}
        />
      )}
      <Dialog
        open={deleting !== undefined}
        onClose={() => {
          setDeleting(undefined);
          remove.reset();
        }}
        title={`Delete “${deleting?.name ?? ""}”?`}
        description="The flow disappears from this list and its endpoint stops answering. Its usage history stays."
        footer={
          <>
            <Button variant="outline" onClick={() => setDeleting(undefined)}>
              Cancel
            </Button>
            <Button
              variant="destructive"
              pending={remove.isPending}
              onClick={() => deleting && remove.mutate({ workspaceId: workspace.id, flowId: deleting.id })}
            >
              Delete flow
            </Button>
          </>
        }
      >
        <FormError message={remove.error?.message} />
      </Dialog>
    </div>
  );
}

function FlowNameDialog({
  dialog,
  onClose,
  onDone,
}: {
  dialog: NameDialog;
  onClose: () => void;
  onDone: (flowId: string) => Promise<void>;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const initial =
    dialog.kind === "create" ? "" : dialog.kind === "rename" ? dialog.flow.name : `${dialog.flow.name} (copy)`;
  const [name, setName] = useState(initial);
  const create = useMutation(trpc.flow.create.mutationOptions());
  const rename = useMutation(trpc.flow.rename.mutationOptions());
  const duplicate = useMutation(trpc.flow.duplicate.mutationOptions());
  const mutation = dialog.kind === "create" ? create : dialog.kind === "rename" ? rename : duplicate;
  const title = dialog.kind === "create" ? "New flow" : dialog.kind === "rename" ? "Rename flow" : "Duplicate flow";
  const submit = async () => {
    const base = { workspaceId: workspace.id, name };
    if (dialog.kind === "create") await onDone((await create.mutateAsync(base)).id);
    else if (dialog.kind === "rename") await onDone((await rename.mutateAsync({ ...base, flowId: dialog.flow.id })).id);
    else await onDone((await duplicate.mutateAsync({ ...base, flowId: dialog.flow.id })).id);
  };
  const errors = fieldErrors(mutation.error);
  return (
    <Dialog
      open
      onClose={onClose}
      title={title}
      description={
        dialog.kind === "duplicate"
          ? "The copy starts from this flow's current draft, without its versions."
          : undefined
      }
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" form="flow-name-form" pending={mutation.isPending}>
            {dialog.kind === "create" ? "Create and open" : dialog.kind === "rename" ? "Rename" : "Duplicate and open"}
          </Button>
        </>
      }
    >
      <form
        id="flow-name-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit().catch(() => undefined);
        }}
        className="grid gap-3"
      >
        <TextField
          id="flow-name"
          label="Flow name"
          value={name}
          autoFocus
          onChange={(e) => setName(e.target.value)}
          error={errors.name ?? (mutation.error && errors.name === undefined ? mutation.error.message : undefined)}
        />
      </form>
    </Dialog>
  );
}
