import type { ReactNode } from "react";

export interface EmptyStateProps {
  icon?: ReactNode;
  title: string;
  children: ReactNode;
  action?: ReactNode;
}

/** The dashed panel a section shows while it has nothing yet: what will be here and how it gets here. */
export function EmptyState({ icon, title, children, action }: EmptyStateProps) {
  return (
    <div className="flex flex-col items-center rounded-xl border border-dashed bg-muted/40 px-6 py-14 text-center">
      {icon !== undefined && (
        <div className="mb-4 flex h-12 w-12 items-center justify-center rounded-full bg-background text-primary shadow-sm ring-1 ring-border">
          {icon}
        </div>
      )}
      <h2 className="text-base font-semibold">{title}</h2>
      <div className="mt-2 max-w-lg text-sm text-muted-foreground">{children}</div>
      {action !== undefined && <div className="mt-6">{action}</div>}
    </div>
  );
}
