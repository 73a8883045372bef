"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { DropdownMenu, MenuLabel, MenuSeparator, menuItemClasses } from "../ui/dropdown-menu";
import { CheckIcon, ChevronsUpDownIcon, PlusIcon } from "../icons";
import { roleLabel } from "../roles";
import type { CurrentWorkspace } from "./workspace-context";

/** The top-right switcher: every workspace the user belongs to, and a way to start a new one. */
export function WorkspaceSwitcher({ current }: { current: CurrentWorkspace }) {
  const trpc = useTRPC();
  const workspaces = useQuery(trpc.workspace.list.queryOptions());
  return (
    <DropdownMenu
      triggerLabel={`Workspace: ${current.name}. Switch workspace`}
      triggerClassName="h-9 max-w-56 border px-3 text-sm font-medium shadow-sm"
      trigger={
        <>
          <WorkspaceAvatar name={current.name} />
          <span className="truncate">{current.name}</span>
          <ChevronsUpDownIcon className="shrink-0 text-muted-foreground" width={14} height={14} />
        </>
      }
    >
      {(close) => (
        <>
          <MenuLabel>Workspaces</MenuLabel>
          {workspaces.data === undefined && (
            <div className="px-2.5 py-2 text-sm text-muted-foreground">
              {workspaces.error === null ? "Loading…" : `Could not load: ${workspaces.error.message}`}
            </div>
          )}
          {workspaces.data?.map((workspace) => (
            <Link
              key={workspace.id}
              role="menuitem"
              href={`/w/${workspace.id}/flows`}
              onClick={close}
              className={menuItemClasses}
            >
              <WorkspaceAvatar name={workspace.name} />
              <span className="min-w-0 flex-1">
                <span className="block truncate font-medium">{workspace.name}</span>
                <span className="block text-xs text-muted-foreground">{roleLabel(workspace.role)}</span>
              </span>
              {workspace.id === current.id && <CheckIcon className="text-primary" width={16} height={16} />}
            </Link>
          ))}
          <MenuSeparator />
          <Link role="menuitem" href="/workspaces/new" onClick={close} className={menuItemClasses}>
            <PlusIcon width={16} height={16} className="text-muted-foreground" />
            New workspace
          </Link>
        </>
      )}
    </DropdownMenu>
  );
}

function WorkspaceAvatar({ name }: { name: string }) {
  return (
    <span
      aria-hidden="true"
      className="flex h-6 w-6 shrink-0 items-center justify-center rounded-md bg-primary/10 text-xs font-semibold text-primary"
    >
      {name.trim().charAt(0).toUpperCase() || "?"}
    </span>
  );
}
