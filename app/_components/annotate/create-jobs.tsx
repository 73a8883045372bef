"use client";

import { useState } from "react";
import { useMutation } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { Button } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";

/** The owner/admin splits unlabelled (or unverified) images no job holds among chosen members. */
export function CreateJobs({
  taskId,
  members,
  onCreated,
}: {
  taskId: string;
  members: readonly { userId: string; name: string; email: string }[];
  onCreated: () => Promise<void>;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const [chosen, setChosen] = useState<ReadonlySet<string>>(new Set());
  const [scope, setScope] = useState<"unlabelled" | "unverified">("unlabelled");
  const [size, setSize] = useState("100");
  const [result, setResult] = useState<string | undefined>();
  const create = useMutation(
    trpc.trainingSet.createJobs.mutationOptions({
      onSuccess: async (jobs) => {
        const images = jobs.reduce((n, j) => n + j.imageCount, 0);
        setResult(
          jobs.length === 0
            ? `No ${scope} images are left outside a job: nothing to split.`
            : `Made ${jobs.length} ${jobs.length === 1 ? "job" : "jobs"} with ${images} ${images === 1 ? "image" : "images"}.`,
        );
        await onCreated();
      },
    }),
  );
  const sizeNumber = Number(size);
  const sizeValid = Number.isInteger(sizeNumber) && sizeNumber >= 1 && sizeNumber <= 10_000;
  const toggle = (userId: string) =>
    setChosen((before) => {
      const next = new Set(before);
      if (next.has(userId)) next.delete(userId);
      else next.add(userId);
      return next;
    });

  return (
    <Card>
      <CardHeader>
        <CardTitle>Create jobs</CardTitle>
        <CardDescription>
          Splits the images no job holds yet into jobs of at most the size given, dealt in turn to the members chosen
          (editors and above: viewers cannot annotate).
        </CardDescription>
      </CardHeader>
      <CardContent>
        <form
          className="grid gap-4"
          onSubmit={(e) => {
            e.preventDefault();
            setResult(undefined);
            create.mutate({ workspaceId: workspace.id, taskId, assignees: [...chosen], scope, size: sizeNumber });
          }}
        >
          <fieldset className="grid gap-1">
            <legend className="mb-1 text-sm font-medium">Members</legend>
            <div className="flex flex-wrap gap-2">
              {members.map((m) => (
                <label
                  key={m.userId}
                  data-assignee={m.name || m.email}
                  className="flex cursor-pointer items-center gap-2 rounded-md border px-2 py-1 text-sm hover:bg-accent"
                >
                  <input type="checkbox" checked={chosen.has(m.userId)} onChange={() => toggle(m.userId)} />
                  {m.name || m.email}
                </label>
              ))}
            </div>
          </fieldset>
          <div className="flex flex-wrap items-end gap-4">
            <label className="grid gap-1 text-sm">
              <span className="font-medium">Images</span>
              <Select
                id="job-scope"
                value={scope}
                onChange={(e) => setScope(e.target.value === "unverified" ? "unverified" : "unlabelled")}
              >
                <option value="unlabelled">Unlabelled (to annotate)</option>
                <option value="unverified">Not yet verified (to check)</option>
              </Select>
            </label>
            <label className="grid gap-1 text-sm">
              <span className="font-medium">Images per job</span>
              <Input
                id="job-size"
                type="number"
                min={1}
                max={10_000}
                value={size}
                onChange={(e) => setSize(e.target.value)}
                className="w-28"
                aria-invalid={!sizeValid}
              />
            </label>
            <Button type="submit" disabled={chosen.size === 0 || !sizeValid} pending={create.isPending}>
              Create jobs
            </Button>
          </div>
          {chosen.size === 0 && <p className="text-xs text-muted-foreground">Choose at least one member.</p>}
          {result !== undefined && (
            <p role="status" data-jobs-result className="text-sm">
              {result}
            </p>
          )}
          <FormError message={create.error?.message} />
        </form>
      </CardContent>
    </Card>
  );
}
