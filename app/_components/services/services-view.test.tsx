import { QueryClient, QueryClientProvider } from "@tanstack/react-query";
import { createTRPCClient, httpBatchLink } from "@trpc/client";
import type { inferRouterOutputs } from "@trpc/server";
import { createTRPCOptionsProxy } from "@trpc/tanstack-react-query";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { TRPCProvider } from "../../_lib/trpc";
import type { AppRouter } from "../../_server/routers/_app";
import { ServicesView } from "./services-view";

// Typed as the client receives it (JSON-serialized), which is what the query cache holds.
const plugins: inferRouterOutputs<AppRouter>["plugin"]["describe"] = [
  {
    name: "quality",
    title: "Image quality",
    description: "Sharpness and more.",
    packageName: "@vizflow/plugin-image-quality",
    version: "1.0.0",
    engine: "^1",
    builtin: true,
    decoders: [],
    actions: [
      {
        ref: "quality/measure@1",
        plugin: "quality",
        id: "measure",
        version: 1,
        title: "Image quality",
        description: "Measures sharpness.",
        category: "Services",
        config: { type: "object" },
        handles: [{ id: "next" }],
        credits: 1,
        service: true,
        withDefaultConfig: {
          handles: [{ id: "next" }],
          writes: {
            type: "object",
            properties: { quality: { type: "object", properties: { sharpness: { type: "number" } } } },
          },
          credits: 1,
        },
      },
      {
        ref: "ocr/read-text@1",
        plugin: "quality",
        id: "read-text",
        version: 1,
        title: "Text recognition (OCR)",
        description: "Reads text.",
        category: "Services",
        config: { type: "object" },
        handles: [{ id: "next" }, { id: "objects", label: "Each text line", fanOut: "objects" }],
        objectFields: { type: "object", properties: { text: { type: "string", description: "The line's text." } } },
        credits: 2,
        service: true,
        withDefaultConfig: {
          handles: [{ id: "next" }],
          writes: { type: "object", properties: { text: { type: "string" } } },
          credits: 2,
        },
      },
    ],
  },
  {
    name: "privacy",
    title: "Privacy",
    packageName: "@acme/vizflow-privacy",
    version: "2.3.0",
    engine: "^1",
    builtin: false,
    decoders: [{ id: "grid-boxes", title: "Grid boxes", taskTypes: ["detection"] }],
    actions: [
      {
        ref: "privacy/blur@1",
        plugin: "privacy",
        id: "blur",
        version: 1,
        title: "Privacy blur",
        description: "Blurs faces.",
        category: "Privacy",
        config: { type: "object" },
        handles: [{ id: "next" }],
        writes: { type: "object" },
        credits: 1,
        service: false,
      },
    ],
  },
];

const disabled: inferRouterOutputs<AppRouter>["plugin"]["disabled"] = [
  {
    name: "future",
    plugin: '"./future" (enabled in VIZFLOW_PLUGINS)',
    reason: "requires engine ^2, but this is engine 1.0.0; install a version of the plugin made for it",
    decoders: ["future-boxes"],
  },
];

function render(disabledPlugins = disabled): string {
  const queryClient = new QueryClient();
  const trpcClient = createTRPCClient<AppRouter>({ links: [httpBatchLink({ url: "http://127.0.0.1:9/api/trpc" })] });
  const trpc = createTRPCOptionsProxy<AppRouter>({ client: trpcClient, queryClient });
  queryClient.setQueryData(trpc.plugin.describe.queryKey(), plugins);
  queryClient.setQueryData(trpc.plugin.disabled.queryKey(), disabledPlugins);
  return renderToString(
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <ServicesView />
      </TRPCProvider>
    </QueryClientProvider>,
  );
}

describe("ServicesView", () => {
  it("lists services with credits per call and output fields, and every installed plugin with its version", () => {
    const html = render().replace(/<!-- -->/g, "");
    expect(html).toContain("Ready-to-use services");
    expect(html).toContain("1 credit per call");
    expect(html).toContain("quality/measure@1");
    expect(html).toContain("quality.sharpness: <span");
    expect(html).toContain("@vizflow/plugin-image-quality 1.0.0");
    // The third-party plugin's plain action is listed under installed plugins, not as a service.
    expect(html).toContain("@acme/vizflow-privacy");
    expect(html).toContain("version 2.3.0 · engine ^1");
    expect(html).toContain("Third-party");
    expect(html).toContain("Each object has <span><code");
    expect(html).toMatch(/<code title="The line&#x27;s text.">text<\/code> \(string\)/);
    expect(html.match(/credits? per call</g)).toHaveLength(2);
  });

  it("lists each plugin's decoders, and the disabled plugins with their reason", () => {
    const html = render().replace(/<!-- -->/g, "");
    expect(html).toMatch(/Grid boxes <code[^>]*>grid-boxes<\/code> <span[^>]*>· detection<\/span>/);
    expect(html).toContain("Disabled plugins");
    expect(html).toContain("&quot;./future&quot; (enabled in VIZFLOW_PLUGINS)");
    expect(html).toContain("requires engine ^2, but this is engine 1.0.0; install a version of the plugin made for it");
    expect(html).toContain("Its decoders, unavailable to model versions: <span><code>future-boxes</code></span>");
    expect(render([])).not.toContain("Disabled plugins");
  });
});
