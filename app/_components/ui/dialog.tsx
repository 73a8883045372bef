"use client";

import { useEffect, useRef, type ReactNode } from "react";
import { cn } from "./cn";

export interface DialogProps {
  open: boolean;
  onClose: () => void;
  title: string;
  description?: ReactNode;
  children?: ReactNode;
  footer: ReactNode;
  className?: string;
}

/**
 * A modal on the native <dialog>: the browser provides the focus trap, Escape and the inert page behind,
 * so there is no focus-management code to get wrong.
 */
export function Dialog({ open, onClose, title, description, children, footer, className }: DialogProps) {
  const ref = useRef<HTMLDialogElement>(null);

  useEffect(() => {
    const dialog = ref.current;
    if (dialog === null) return;
    if (open && !dialog.open) dialog.showModal();
    if (!open && dialog.open) dialog.close();
  }, [open]);

  return (
    <dialog
      ref={ref}
      onClose={onClose}
      aria-labelledby="dialog-title"
      className={cn(
        "m-auto w-[calc(100%-2rem)] max-w-md rounded-xl border bg-card p-0 text-card-foreground shadow-lg",
        className,
      )}
    >
      {open && (
        <div className="grid gap-4 p-6">
          <div className="grid gap-1.5">
            <h2 id="dialog-title" className="text-lg font-semibold">
              {title}
            </h2>
            {description !== undefined && <div className="text-sm text-muted-foreground">{description}</div>}
          </div>
          {children}
          <div className="flex justify-end gap-2">{footer}</div>
        </div>
      )}
    </dialog>
  );
}
