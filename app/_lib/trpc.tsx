"use client";

import { isServer, QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import { createTRPCContext } from "@trpc/tanstack-react-query";
import { useState, type ReactNode } from "react";
import type { AppRouter } from "@/_server/routers/_app";

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

function makeQueryClient(): QueryClient {
  // A short stale time keeps a page from refetching what it rendered a moment ago.
  return new QueryClient({ defaultOptions: { queries: { staleTime: 10_000, retry: retryUnlessRefused } } });
}

// Retrying a refusal (not found, forbidden, bad input) only delays the message the user needs.
function retryUnlessRefused(failureCount: number, error: unknown): boolean {
  const status = (error as { data?: { httpStatus?: unknown } }).data?.httpStatus;
  if (typeof status === "number" && status >= 400 && status < 500) return false;
  return failureCount < 2;
}

let browserQueryClient: QueryClient | undefined;

function getQueryClient(): QueryClient {
  // On the server every request gets its own client; in the browser one lives for the page's life.
  if (isServer) return makeQueryClient();
  return (browserQueryClient ??= makeQueryClient());
}

function trpcUrl(): string {
  if (!isServer) return "/api/trpc";
  return `http://127.0.0.1:${process.env.PORT ?? "3000"}/api/trpc`;
}

/** Provides React Query and the tRPC client to the client components below it. */
export function TRPCReactProvider({ children }: { readonly children: ReactNode }) {
  const queryClient = getQueryClient();
  const [trpcClient] = useState(() => createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: trpcUrl() })] }));
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        {children}
      </TRPCProvider>
    </QueryClientProvider>
  );
}
