"use client";

import Link from "next/link";
import { useState } from "react";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Select } from "../ui/select";
import { CallExamples } from "./call-examples";
import { processEndpoint, schemaEndpoint } from "./call-snippets";

/** Longest string of the example response shown as is (an image field would fill the dialog). */
const EXAMPLE_STRING_LIMIT = 120;

/** The last test run's record as an example response, with long strings (base64 images) shortened. */
export function exampleResponse(record: Record<string, unknown>): string {
  return JSON.stringify(
    { records: [record] },
    (_key, value: unknown) =>
      typeof value === "string" && value.length > EXAMPLE_STRING_LIMIT
        ? `${value.slice(0, 40)}… (${value.length} characters)`
        : value,
    2,
  );
}

/**
 * Deploys a saved version and shows how to call it: endpoint, the call in curl / JavaScript / Python with
 * the flow's id, the response schema, and the last test run's response as an example.
 */
export function DeployDialog({
  open,
  onClose,
  workspaceId,
  flowId,
  latestVersion,
  deployedVersion,
  pending,
  error,
  onDeploy,
  lastTestRecord,
}: {
  open: boolean;
  onClose: () => void;
  workspaceId: string;
  flowId: string;
  latestVersion: number | undefined;
  deployedVersion: number | undefined;
  pending: boolean;
  error: string | undefined;
  onDeploy: (version: number) => void;
  /** The record the editor's last test run answered, if any. */
  lastTestRecord?: Record<string, unknown> | undefined;
}) {
  const [chosen, setChosen] = useState<number | undefined>();
  const version = chosen ?? latestVersion;
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const endpoint = processEndpoint(origin, flowId);
  const trpc = useTRPC();
  const schema = useQuery(
    trpc.flowTransfer.responseSchema.queryOptions(
      { workspaceId, flowId, ...(version === undefined ? {} : { version }) },
      { enabled: open && version !== undefined, retry: false },
    ),
  );
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Deploy"
      className="max-h-[90vh] overflow-y-auto sm:max-w-2xl"
      description={
        deployedVersion === undefined
          ? "Nothing is deployed yet: the endpoint answers once a version is deployed."
          : `Version ${deployedVersion} is live.`
      }
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Close
          </Button>
          <Button
            disabled={version === undefined}
            pending={pending}
            onClick={() => version !== undefined && onDeploy(version)}
          >
            Deploy version {version ?? ""}
          </Button>
        </>
      }
    >
      {latestVersion === undefined ? (
        <p className="text-sm text-muted-foreground">Save a version first; only saved versions can be deployed.</p>
      ) : (
        <label className="grid gap-1 text-xs font-medium">
          Version to deploy
          <Select value={String(version)} onChange={(e) => setChosen(Number(e.target.value))}>
            {Array.from({ length: latestVersion }, (_, i) => latestVersion - i).map((v) => (
              <option key={v} value={v}>
                Version {v}
                {v === deployedVersion ? " (live)" : ""}
              </option>
            ))}
          </Select>
        </label>
      )}
      <FormError message={error} />
      <div className="grid min-w-0 grid-cols-[minmax(0,1fr)] gap-1 text-xs">
        <span className="font-medium">Endpoint</span>
        <code className="break-all rounded bg-muted px-2 py-1" data-endpoint>
          POST {endpoint}
        </code>
        <span className="mt-2 font-medium">Call it</span>
        <CallExamples target={{ origin, flowId }} />
        <p className="text-muted-foreground">
          Replace YOUR_API_TOKEN with a key of this workspace:{" "}
          <Link href={`/w/${workspaceId}/tokens?flow=${encodeURIComponent(flowId)}`} className="text-primary underline">
            create an API token
          </Link>
          .
        </p>
        <details className="mt-2 min-w-0" data-response-schema>
          <summary className="cursor-pointer font-medium">
            Response schema{version === undefined ? "" : ` (version ${version})`}
          </summary>
          <p className="mt-1 text-muted-foreground">
            Also at <code className="break-all">GET {schemaEndpoint(origin, flowId)}</code> with the same token.
          </p>
          {schema.error && <FormError message={schema.error.message} />}
          {schema.data !== undefined && (
            <pre className="mt-1 max-h-64 overflow-auto rounded bg-muted p-2 font-mono">
              {JSON.stringify(schema.data, null, 2)}
            </pre>
          )}
        </details>
        <details className="mt-1 min-w-0" data-example-response>
          <summary className="cursor-pointer font-medium">Example response</summary>
          {lastTestRecord === undefined ? (
            <p className="mt-1 text-muted-foreground">
              Run a test in the Test tab and its response shows here as an example.
            </p>
          ) : (
            <>
              <p className="mt-1 text-muted-foreground">
                From the last test run of the editor’s draft (the call also returns <code>statistics</code>).
              </p>
              <pre className="mt-1 max-h-64 overflow-auto rounded bg-muted p-2 font-mono">
                {exampleResponse(lastTestRecord)}
              </pre>
            </>
          )}
        </details>
      </div>
    </Dialog>
  );
}
