import type { Metadata, Viewport } from "next";
import type { ReactNode } from "react";
import { TRPCReactProvider } from "@/_lib/trpc";
import "./globals.css";

export const metadata: Metadata = {
  title: { default: "Vizflow", template: "%s · Vizflow" },
  description: "Build computer-vision pipelines visually, test them on an image, and call them over HTTP.",
};

export const viewport: Viewport = { width: "device-width", initialScale: 1 };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>
        <TRPCReactProvider>{children}</TRPCReactProvider>
      </body>
    </html>
  );
}
