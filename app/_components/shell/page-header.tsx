import type { ReactNode } from "react";

/** Title row of a workspace page: what the section is, one line on what it is for, and its main action. */
export function PageHeader({ title, description, action }: { title: string; description: string; action?: ReactNode }) {
  return (
    <div className="mb-8 flex flex-col gap-4 sm:flex-row sm:items-end sm:justify-between">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">{title}</h1>
        <p className="mt-1 text-sm text-muted-foreground">{description}</p>
      </div>
      {action !== undefined && <div className="shrink-0">{action}</div>}
    </div>
  );
}
