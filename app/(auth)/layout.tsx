import type { ReactNode } from "react";
import Link from "next/link";
import { LogoMark } from "@/_components/icons";

/** Pages outside a workspace (setup, sign-in, invitations, new workspace): one centred card. */
export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col items-center bg-muted/60 px-4 py-10 sm:py-16">
      <Link href="/" className="mb-8 flex items-center gap-2.5 text-lg font-semibold tracking-tight">
        <LogoMark />
        Vizflow
      </Link>
      <main className="w-full max-w-md">{children}</main>
    </div>
  );
}
