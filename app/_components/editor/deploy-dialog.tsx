"use client";

import Link from "next/link";
import { useState } from "react";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Select } from "../ui/select";

/** Deploys a saved version and shows how to call it: endpoint, curl example, where to get a token. */
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
}) {
  const [chosen, setChosen] = useState<number | undefined>();
  const version = chosen ?? latestVersion;
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const endpoint = `${origin}/v2/flows/${flowId}/process`;
  const curl = `curl -X POST '${endpoint}' \\\n  -H 'Authorization: Token YOUR_API_TOKEN' \\\n  -H 'Content-Type: application/json' \\\n  -d '{"records": [{"_url": "https://example.com/photo.jpg"}]}'`;
  const [copied, setCopied] = useState(false);
  return (
    <Dialog
      open={open}
      onClose={onClose}
      title="Deploy"
      className="max-w-xl"
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
      <div className="grid gap-1 text-xs">
        <span className="font-medium">Endpoint</span>
        <code className="break-all rounded bg-muted px-2 py-1" data-endpoint>
          POST {endpoint}
        </code>
        <span className="mt-2 font-medium">Call it with curl</span>
        <pre className="overflow-x-auto rounded bg-muted p-2" data-curl>
          {curl}
        </pre>
        <div className="flex items-center gap-3">
          <Button
            size="sm"
            variant="outline"
            onClick={() => {
              void navigator.clipboard.writeText(curl).then(() => setCopied(true));
            }}
          >
            {copied ? "Copied" : "Copy curl"}
          </Button>
          <Link href={`/w/${workspaceId}/tokens`} className="text-primary underline">
            Create an API token
          </Link>
        </div>
      </div>
    </Dialog>
  );
}
