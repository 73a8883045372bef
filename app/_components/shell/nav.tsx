"use client";

import Link from "next/link";
import { usePathname } from "next/navigation";
import type { ComponentType, SVGProps } from "react";
import { cn } from "../ui/cn";
import { FlowIcon, MembersIcon, ServiceIcon, SettingsIcon, TaskIcon, TokenIcon, UsageIcon } from "../icons";

interface Section {
  segment: string;
  label: string;
  icon: ComponentType<SVGProps<SVGSVGElement>>;
}

const BUILD: Section[] = [
  { segment: "flows", label: "Flows", icon: FlowIcon },
  { segment: "tasks", label: "Tasks", icon: TaskIcon },
  { segment: "services", label: "Services", icon: ServiceIcon },
];

const MANAGE: Section[] = [
  { segment: "usage", label: "Usage", icon: UsageIcon },
  { segment: "tokens", label: "API tokens", icon: TokenIcon },
  { segment: "members", label: "Members", icon: MembersIcon },
  { segment: "settings", label: "Settings", icon: SettingsIcon },
];

function useActiveSegment(workspaceId: string): string | undefined {
  const pathname = usePathname();
  const prefix = `/w/${workspaceId}/`;
  return pathname.startsWith(prefix) ? pathname.slice(prefix.length).split("/")[0] : undefined;
}

/** The sidebar on wide screens. */
export function SideNav({ workspaceId }: { workspaceId: string }) {
  const active = useActiveSegment(workspaceId);
  return (
    <nav aria-label="Workspace" className="grid gap-6 px-3 py-4">
      {[
        { title: "Build", items: BUILD },
        { title: "Manage", items: MANAGE },
      ].map((group) => (
        <div key={group.title} className="grid gap-0.5">
          <div className="px-2.5 pb-1.5 text-xs font-medium uppercase tracking-wide text-muted-foreground">
            {group.title}
          </div>
          {group.items.map(({ segment, label, icon: Icon }) => (
            <Link
              key={segment}
              href={`/w/${workspaceId}/${segment}`}
              aria-current={active === segment ? "page" : undefined}
              className={cn(
                "flex items-center gap-2.5 rounded-md px-2.5 py-2 text-sm font-medium transition-colors",
                active === segment
                  ? "bg-primary/10 text-primary"
                  : "text-muted-foreground hover:bg-accent hover:text-foreground",
              )}
            >
              <Icon />
              {label}
            </Link>
          ))}
        </div>
      ))}
    </nav>
  );
}

/** The same sections as a scrollable tab row on narrow screens, where a sidebar would eat the page. */
export function TabNav({ workspaceId }: { workspaceId: string }) {
  const active = useActiveSegment(workspaceId);
  return (
    <nav aria-label="Workspace sections" className="flex gap-1 overflow-x-auto border-b px-3 md:hidden">
      {[...BUILD, ...MANAGE].map(({ segment, label }) => (
        <Link
          key={segment}
          href={`/w/${workspaceId}/${segment}`}
          aria-current={active === segment ? "page" : undefined}
          className={cn(
            "shrink-0 border-b-2 px-2.5 py-2.5 text-sm font-medium",
            active === segment
              ? "border-primary text-primary"
              : "border-transparent text-muted-foreground hover:text-foreground",
          )}
        >
          {label}
        </Link>
      ))}
    </nav>
  );
}
