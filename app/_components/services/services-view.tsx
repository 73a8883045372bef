"use client";

import { useQuery } from "@tanstack/react-query";
import type { inferRouterOutputs } from "@trpc/server";
import type { AppRouter } from "../../_server/routers/_app";
import { useTRPC } from "../../_lib/trpc";
import { PageLoading } from "../loading";
import { Badge } from "../ui/badge";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/field";
import { outputFields } from "./output-fields";

type Plugins = inferRouterOutputs<AppRouter>["plugin"]["describe"];
type DisabledPlugins = inferRouterOutputs<AppRouter>["plugin"]["disabled"];
type Plugin = Plugins[number];
type Action = Plugin["actions"][number];

const credits = (n: number | undefined) => `${n ?? 0} credit${n === 1 ? "" : "s"}`;

/** What the Services page shows: the ready-to-use services, then every installed plugin and its actions. */
export function ServicesView() {
  const trpc = useTRPC();
  const plugins = useQuery(trpc.plugin.describe.queryOptions());
  const disabled = useQuery(trpc.plugin.disabled.queryOptions());
  if (plugins.error) return <FormError message={plugins.error.message} />;
  if (plugins.data === undefined) return <PageLoading label="Loading plugins…" />;
  const services = plugins.data.flatMap((plugin) =>
    plugin.actions.filter((action) => action.service).map((action) => ({ plugin, action })),
  );
  return (
    <div className="grid gap-8">
      <section aria-labelledby="services-heading" className="grid gap-4">
        <div>
          <h2 id="services-heading" className="text-base font-semibold">
            Ready-to-use services
          </h2>
          <p className="text-sm text-muted-foreground">
            Drag one from the Services group of the flow editor’s palette; it runs on the whole image, or on each object
            under an object handle. Credits are charged per image or object it runs on.
          </p>
        </div>
        {services.length === 0 ? (
          <p className="text-sm text-muted-foreground">No installed plugin provides a service.</p>
        ) : (
          <ul className="grid gap-4 lg:grid-cols-2">
            {services.map(({ plugin, action }) => (
              <li key={action.ref}>
                <ServiceCard plugin={plugin} action={action} />
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="plugins-heading" className="grid gap-4">
        <div>
          <h2 id="plugins-heading" className="text-base font-semibold">
            Installed plugins
          </h2>
          <p className="text-sm text-muted-foreground">
            Plugins add actions to the flow editor. They are enabled in vizflow.config.json or the VIZFLOW_PLUGINS
            variable of the server.
          </p>
        </div>
        <PluginTable plugins={plugins.data} />
      </section>
      {disabled.error && <FormError message={disabled.error.message} />}
      {disabled.data !== undefined && disabled.data.length > 0 && <DisabledPluginList plugins={disabled.data} />}
    </div>
  );
}

function ServiceCard({ plugin, action }: { plugin: Plugin; action: Action }) {
  const writes = action.writes ?? action.withDefaultConfig?.writes;
  const handles = action.handles ?? action.withDefaultConfig?.handles ?? [];
  const fields = outputFields(writes);
  const objectFields = outputFields(action.objectFields ?? action.withDefaultConfig?.objectFields);
  const objectHandle = handles.find((h) => h.fanOut === "objects");
  return (
    <Card className="h-full">
      <CardHeader>
        <div className="flex items-start justify-between gap-3">
          <CardTitle>{action.title}</CardTitle>
          <Badge aria-label="Credits per call">
            {credits(action.credits ?? action.withDefaultConfig?.credits)} per call
          </Badge>
        </div>
        <CardDescription>{action.description}</CardDescription>
      </CardHeader>
      <CardContent className="grid gap-3 text-sm">
        <dl className="grid grid-cols-[max-content_1fr] gap-x-4 gap-y-1">
          <dt className="text-muted-foreground">Action</dt>
          <dd>
            <code>{action.ref}</code>
          </dd>
          <dt className="text-muted-foreground">Plugin</dt>
          <dd>
            {plugin.title} · {plugin.packageName} {plugin.version}
          </dd>
          {objectHandle !== undefined && (
            <>
              <dt className="text-muted-foreground">Objects</dt>
              <dd>
                Returns objects; children of “{objectHandle.label ?? objectHandle.id}” run on each one’s crop.
                {objectFields.length > 0 && (
                  <>
                    {" "}
                    Each object has{" "}
                    {objectFields.map((field, i) => (
                      <span key={field.path}>
                        {i > 0 ? ", " : ""}
                        <code title={field.description}>{field.path}</code> ({field.type})
                      </span>
                    ))}
                    .
                  </>
                )}
              </dd>
            </>
          )}
        </dl>
        <div>
          <h3 className="mb-1 font-medium">Output fields</h3>
          {fields.length === 0 ? (
            <p className="text-muted-foreground">Writes no fields of its own.</p>
          ) : (
            <ul className="grid gap-0.5 font-mono text-xs">
              {fields.map((field) => (
                <li key={field.path} title={field.description}>
                  {field.path}: <span className="text-muted-foreground">{field.type}</span>
                </li>
              ))}
            </ul>
          )}
        </div>
      </CardContent>
    </Card>
  );
}

function PluginTable({ plugins }: { plugins: Plugins }) {
  return (
    <div className="overflow-x-auto rounded-xl border">
      <table className="w-full text-left text-sm">
        <thead className="bg-muted/50 text-muted-foreground">
          <tr>
            <th scope="col" className="px-4 py-2 font-medium">
              Plugin
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Package
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Actions
            </th>
            <th scope="col" className="px-4 py-2 font-medium">
              Decoders
            </th>
          </tr>
        </thead>
        <tbody className="divide-y">
          {plugins.map((plugin) => (
            <tr key={plugin.name} className="align-top">
              <td className="px-4 py-3">
                <div className="font-medium">{plugin.title}</div>
                <div className="text-xs text-muted-foreground">{plugin.description}</div>
                <Badge className="mt-1">{plugin.builtin ? "Built-in" : "Third-party"}</Badge>
              </td>
              <td className="px-4 py-3 whitespace-nowrap">
                <div>{plugin.packageName}</div>
                <div className="text-xs text-muted-foreground">
                  version {plugin.version} · engine {plugin.engine}
                </div>
              </td>
              <td className="px-4 py-3">
                <ul className="grid gap-1">
                  {plugin.actions.map((action) => (
                    <li key={action.ref}>
                      {action.title} <code className="text-xs text-muted-foreground">{action.ref}</code>{" "}
                      <span className="text-xs text-muted-foreground">
                        · {action.category} · {credits(action.credits ?? action.withDefaultConfig?.credits)}
                      </span>
                    </li>
                  ))}
                </ul>
              </td>
              <td className="px-4 py-3">
                {plugin.decoders.length === 0 ? (
                  <span className="text-xs text-muted-foreground">None</span>
                ) : (
                  <ul className="grid gap-1">
                    {plugin.decoders.map((decoder) => (
                      <li key={decoder.id}>
                        {decoder.title} <code className="text-xs text-muted-foreground">{decoder.id}</code>{" "}
                        <span className="text-xs text-muted-foreground">· {decoder.taskTypes.join(", ")}</span>
                      </li>
                    ))}
                  </ul>
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

/** Plugins refused at start: nothing of theirs runs, and flows that use them are told this same reason. */
function DisabledPluginList({ plugins }: { plugins: DisabledPlugins }) {
  return (
    <section aria-labelledby="disabled-plugins-heading" className="grid gap-4">
      <div>
        <h2 id="disabled-plugins-heading" className="text-base font-semibold">
          Disabled plugins
        </h2>
        <p className="text-sm text-muted-foreground">
          These plugins are enabled in the configuration but were refused when the server started. Their actions and
          decoders are missing; flows that use them answer the reason below. Fix the plugin and restart the server.
        </p>
      </div>
      <ul className="grid gap-3">
        {plugins.map((plugin) => (
          <li key={plugin.plugin} className="rounded-xl border border-destructive/40 px-4 py-3 text-sm">
            <div className="flex flex-wrap items-center gap-2">
              <Badge className="border-destructive/40 bg-destructive/10 text-destructive">Disabled</Badge>
              <span className="font-medium">{plugin.name ?? plugin.plugin}</span>
              {plugin.name !== undefined && <span className="text-xs text-muted-foreground">{plugin.plugin}</span>}
            </div>
            <p className="mt-2 break-words">{plugin.reason}</p>
            {plugin.decoders.length > 0 && (
              <p className="mt-1 text-xs text-muted-foreground">
                Its decoders, unavailable to model versions:{" "}
                {plugin.decoders.map((id, i) => (
                  <span key={id}>
                    {i > 0 ? ", " : ""}
                    <code>{id}</code>
                  </span>
                ))}
              </p>
            )}
          </li>
        ))}
      </ul>
    </section>
  );
}
