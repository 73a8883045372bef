"use client";

import { useState } from "react";
import { useMutation, useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import type { TrainingTask } from "./training-types";

const NEGATIVE_TAG = "Negative";

type BulkAction =
  | { kind: "setLabel"; label: string }
  | { kind: "addTag" | "removeTag"; tag: string }
  | { kind: "delete" }
  | { kind: "moveToTestSet"; testSetId?: string; testSetName?: string };

function describe(action: BulkAction, changed: number): string {
  const images = `${changed} image${changed === 1 ? "" : "s"}`;
  switch (action.kind) {
    case "setLabel":
      return `Labelled ${images} "${action.label}".`;
    case "addTag":
      return `Tagged ${images} "${action.tag}".`;
    case "removeTag":
      return `Removed "${action.tag}" from ${images}.`;
    case "delete":
      return `Deleted ${images} from the training set.`;
    case "moveToTestSet":
      return `Moved ${images} into the test set.`;
  }
}

/**
 * What an editor can do to the chosen images at once, through `trainingSet.bulk`: label them (categorization),
 * add or remove a tag (tagging), delete them (after a confirmation) or move them into a test set.
 */
export function BulkActions({
  workspaceId,
  task,
  imageIds,
  onDone,
}: {
  workspaceId: string;
  task: TrainingTask;
  imageIds: readonly string[];
  onDone: (gone: readonly string[]) => void;
}) {
  const trpc = useTRPC();
  const [label, setLabel] = useState("");
  const [confirming, setConfirming] = useState<"delete" | "move" | null>(null);
  const [result, setResult] = useState<string | undefined>();
  const bulk = useMutation(trpc.trainingSet.bulk.mutationOptions());
  const choices = task.type === "tagging" ? [...task.labels, NEGATIVE_TAG] : task.labels;
  const chosen = label !== "" && choices.includes(label) ? label : "";

  function run(action: BulkAction) {
    setResult(undefined);
    const ids = [...imageIds];
    bulk.mutate(
      { workspaceId, taskId: task.id, imageIds: ids, action },
      {
        onSuccess: (answer) => {
          setResult(describe(action, answer.changed));
          setConfirming(null);
          onDone(action.kind === "delete" || action.kind === "moveToTestSet" ? ids : []);
        },
      },
    );
  }

  const none = imageIds.length === 0;
  if (none && result === undefined && !bulk.error) return null;
  return (
    <div className="flex flex-wrap items-center gap-2" data-bulk-actions>
      {!none && (task.type === "categorization" || task.type === "tagging") && choices.length > 0 && (
        <>
          <div className="w-40">
            <Select
              aria-label={task.type === "tagging" ? "Tag for the chosen images" : "Label for the chosen images"}
              className="h-8 text-xs"
              value={chosen}
              onChange={(e) => setLabel(e.target.value)}
            >
              <option value="">{task.type === "tagging" ? "Choose a tag" : "Choose a label"}</option>
              {choices.map((l) => (
                <option key={l} value={l}>
                  {l}
                </option>
              ))}
            </Select>
          </div>
          {task.type === "categorization" ? (
            <Button
              size="sm"
              disabled={chosen === ""}
              pending={bulk.isPending}
              onClick={() => run({ kind: "setLabel", label: chosen })}
            >
              Set label
            </Button>
          ) : (
            <>
              <Button
                size="sm"
                disabled={chosen === ""}
                pending={bulk.isPending}
                onClick={() => run({ kind: "addTag", tag: chosen })}
              >
                Add tag
              </Button>
              <Button
                size="sm"
                variant="outline"
                disabled={chosen === ""}
                onClick={() => run({ kind: "removeTag", tag: chosen })}
              >
                Remove tag
              </Button>
            </>
          )}
        </>
      )}
      {!none && (
        <>
          <Button size="sm" variant="outline" onClick={() => setConfirming("move")}>
            Move to test set…
          </Button>
          <Button size="sm" variant="outline" onClick={() => setConfirming("delete")}>
            Delete…
          </Button>
        </>
      )}
      {result !== undefined && (
        <span role="status" data-bulk-result className="text-xs text-emerald-700">
          {result}
        </span>
      )}
      {confirming === null && bulk.error && (
        <span role="alert" data-bulk-error className="text-xs text-destructive">
          {bulk.error.message}
        </span>
      )}
      <Dialog
        open={confirming === "delete"}
        onClose={() => setConfirming(null)}
        title={`Delete ${imageIds.length} image${imageIds.length === 1 ? "" : "s"}?`}
        description="They leave this task's training set with their annotations. Other tasks' sets keep theirs."
        footer={
          <>
            <Button variant="outline" onClick={() => setConfirming(null)}>
              Cancel
            </Button>
            <Button variant="destructive" pending={bulk.isPending} onClick={() => run({ kind: "delete" })}>
              Delete images
            </Button>
          </>
        }
      >
        <FormError message={bulk.error?.message} />
      </Dialog>
      {confirming === "move" && (
        <MoveDialog
          workspaceId={workspaceId}
          taskId={task.id}
          count={imageIds.length}
          pending={bulk.isPending}
          error={bulk.error?.message}
          onClose={() => setConfirming(null)}
          onMove={(target) => run({ kind: "moveToTestSet", ...target })}
        />
      )}
    </div>
  );
}

function MoveDialog({
  workspaceId,
  taskId,
  count,
  pending,
  error,
  onClose,
  onMove,
}: {
  workspaceId: string;
  taskId: string;
  count: number;
  pending: boolean;
  error: string | undefined;
  onClose: () => void;
  onMove: (target: { testSetId: string } | { testSetName: string }) => void;
}) {
  const trpc = useTRPC();
  const testSets = useQuery(trpc.evaluation.testSets.queryOptions({ workspaceId, taskId }));
  const [picked, setPicked] = useState("new");
  const [name, setName] = useState("");
  const sets = testSets.data ?? [];
  return (
    <Dialog
      open
      onClose={onClose}
      title={`Move ${count} image${count === 1 ? "" : "s"} to a test set`}
      description="They leave the training set with their annotations as truth, so training and evaluation never share an image. Only annotated images can move."
      footer={
        <>
          <Button variant="outline" onClick={onClose}>
            Cancel
          </Button>
          <Button
            pending={pending}
            disabled={picked === "new" && name.trim() === ""}
            onClick={() => onMove(picked === "new" ? { testSetName: name.trim() } : { testSetId: picked })}
          >
            Move images
          </Button>
        </>
      }
    >
      <div className="grid gap-3 text-sm">
        <label className="grid gap-1 text-xs font-medium">
          Test set
          <Select aria-label="Test set" value={picked} onChange={(e) => setPicked(e.target.value)}>
            <option value="new">A new test set</option>
            {sets.map((s) => (
              <option key={s.id} value={s.id}>
                {s.name}
              </option>
            ))}
          </Select>
        </label>
        {picked === "new" && (
          <label className="grid gap-1 text-xs font-medium">
            Name of the new test set
            <Input aria-label="Name of the new test set" value={name} onChange={(e) => setName(e.target.value)} />
          </label>
        )}
        <FormError message={error} />
      </div>
    </Dialog>
  );
}
