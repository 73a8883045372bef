"use client";

import Link from "next/link";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { DropdownMenu, MenuSeparator, menuItemClasses } from "../ui/dropdown-menu";
import { LogOutIcon, SettingsIcon } from "../icons";
import { signOutAndLeave } from "../session";

export interface UserMenuProps {
  user: { name: string; email: string };
}

export function UserMenu({ user }: UserMenuProps) {
  const trpc = useTRPC();
  // The instance operator reaches the Instance page (plans, credits, sign-up) from here.
  const operator = useQuery(trpc.instance.me.queryOptions()).data?.operator === true;
  return (
    <DropdownMenu
      triggerLabel={`Account: ${user.name}`}
      triggerClassName="h-9 w-9 justify-center rounded-full"
      trigger={
        <span className="flex h-8 w-8 items-center justify-center rounded-full bg-foreground text-xs font-semibold text-background">
          {initials(user.name)}
        </span>
      }
    >
      {(close) => (
        <>
          <div className="px-2.5 py-2">
            <div className="truncate text-sm font-medium">{user.name}</div>
            <div className="truncate text-xs text-muted-foreground">{user.email}</div>
          </div>
          <MenuSeparator />
          {operator && (
            <Link role="menuitem" href="/instance" onClick={close} className={menuItemClasses}>
              <SettingsIcon width={16} height={16} className="text-muted-foreground" />
              Instance: plans and credits
            </Link>
          )}
          <button type="button" role="menuitem" className={menuItemClasses} onClick={() => void signOutAndLeave()}>
            <LogOutIcon width={16} height={16} className="text-muted-foreground" />
            Sign out
          </button>
        </>
      )}
    </DropdownMenu>
  );
}

function initials(name: string): string {
  const parts = name.trim().split(/\s+/).filter(Boolean);
  const letters = parts.length > 1 ? [parts[0], parts[parts.length - 1]] : [parts[0]];
  return letters.map((part) => part?.charAt(0).toUpperCase() ?? "").join("") || "?";
}
