"use client";

import { useState } from "react";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { FormError } from "../ui/field";
import { Input } from "../ui/input";
import { DeployDialog } from "./deploy-dialog";
import { SHORTCUTS } from "./shortcuts";

export type DialogState =
  | { kind: "none" }
  | { kind: "save" }
  | { kind: "conflict"; message: string; latest: number; text: string }
  | { kind: "restoreConflict"; version: number; latest: number; text: string }
  | { kind: "deploy" }
  | { kind: "help" };

export interface EditorDialogsProps {
  state: DialogState;
  onClose: () => void;
  workspaceId: string;
  flowId: string;
  baseVersion: number | undefined;
  latestVersion: number | undefined;
  deployedVersion: number | undefined;
  saving: boolean;
  saveError: string | undefined;
  problemCount: number;
  onSave: (message: string) => void;
  onSaveOnTop: (message: string, latest: number) => void;
  onReload: (latest: number) => void;
  restoring: boolean;
  restoreError: string | undefined;
  onRestoreOnTop: (version: number, latest: number) => void;
  deploying: boolean;
  deployError: string | undefined;
  onDeploy: (version: number) => void;
  /** The last test run's record, shown in the deploy dialog as an example response. */
  lastTestRecord?: Record<string, unknown> | undefined;
}

/** A save or restore met a version saved since the draft's base: reload it, or go on on top of it. */
function NewerVersionDialog(props: {
  latest: number;
  text: string;
  explanation: string;
  error?: string | undefined;
  onClose: () => void;
  onReload: (latest: number) => void;
  onTop: { label: string; pending: boolean; run: () => void };
}) {
  return (
    <Dialog
      open
      onClose={props.onClose}
      title="Someone saved a newer version"
      description={props.text}
      footer={
        <>
          <Button variant="outline" onClick={() => props.onReload(props.latest)}>
            Reload version {props.latest}
          </Button>
          <Button pending={props.onTop.pending} onClick={props.onTop.run}>
            {props.onTop.label}
          </Button>
        </>
      }
    >
      <p className="text-sm text-muted-foreground">{props.explanation}</p>
      <FormError message={props.error} />
    </Dialog>
  );
}

/** Save version (with message), the stale-save and stale-restore conflicts, deploy, and the shortcuts overlay. */
export function EditorDialogs(props: EditorDialogsProps) {
  const { state, onClose } = props;
  return (
    <>
      {state.kind === "save" && <SaveDialog {...props} />}
      {state.kind === "conflict" && (
        <NewerVersionDialog
          latest={state.latest}
          text={state.text}
          onClose={onClose}
          onReload={props.onReload}
          onTop={{
            label: `Save mine on top of version ${state.latest}`,
            pending: props.saving,
            run: () => props.onSaveOnTop(state.message, state.latest),
          }}
          explanation={`Nothing was overwritten. Reloading replaces your draft with version ${state.latest}; saving on top makes your draft version ${state.latest + 1}.`}
        />
      )}
      {state.kind === "restoreConflict" && (
        <NewerVersionDialog
          latest={state.latest}
          text={state.text}
          onClose={onClose}
          onReload={props.onReload}
          onTop={{
            label: `Restore on top of version ${state.latest}`,
            pending: props.restoring,
            run: () => props.onRestoreOnTop(state.version, state.latest),
          }}
          explanation={`Nothing was restored or overwritten. Reloading replaces your draft with version ${state.latest}; restoring on top makes version ${state.version} version ${state.latest + 1}.`}
          error={props.restoreError}
        />
      )}
      <DeployDialog
        open={state.kind === "deploy"}
        onClose={onClose}
        workspaceId={props.workspaceId}
        flowId={props.flowId}
        latestVersion={props.latestVersion}
        deployedVersion={props.deployedVersion}
        pending={props.deploying}
        error={props.deployError}
        onDeploy={props.onDeploy}
        lastTestRecord={props.lastTestRecord}
      />
      <Dialog
        open={state.kind === "help"}
        onClose={onClose}
        title="Keyboard shortcuts"
        footer={
          <Button variant="outline" onClick={onClose}>
            Close
          </Button>
        }
      >
        <table className="text-sm">
          <tbody>
            {SHORTCUTS.map((s) => (
              <tr key={s.action}>
                <td className="pr-4 font-mono text-xs">{s.keys}</td>
                <td>{s.text}</td>
              </tr>
            ))}
            <tr>
              <td className="pr-4 font-mono text-xs">Shift drag</td>
              <td>Select several nodes with a box</td>
            </tr>
          </tbody>
        </table>
      </Dialog>
    </>
  );
}

function SaveDialog(props: EditorDialogsProps) {
  const [message, setMessage] = useState("");
  const next = (props.baseVersion ?? 0) + 1;
  return (
    <Dialog
      open
      onClose={props.onClose}
      title={`Save version ${next}`}
      description="A version is immutable: you can open, compare, deploy or restore it later."
      footer={
        <>
          <Button variant="outline" onClick={props.onClose}>
            Cancel
          </Button>
          <Button type="submit" form="save-version-form" pending={props.saving} disabled={props.problemCount > 0}>
            Save version
          </Button>
        </>
      }
    >
      <form
        id="save-version-form"
        className="grid gap-2"
        onSubmit={(e) => {
          e.preventDefault();
          props.onSave(message);
        }}
      >
        <label className="grid gap-1 text-xs font-medium">
          What changed?
          <Input
            autoFocus
            value={message}
            placeholder="e.g. lower the threshold"
            onChange={(e) => setMessage(e.target.value)}
          />
        </label>
        {props.problemCount > 0 && (
          <FormError
            message={`Fix the ${props.problemCount} problem${props.problemCount === 1 ? "" : "s"} first (see Problems).`}
          />
        )}
        <FormError message={props.saveError} />
      </form>
    </Dialog>
  );
}
