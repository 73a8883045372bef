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

/** Save version (with message), the stale-save and stale-restore conflicts, deploy, and the shortcuts overlay. */
export function EditorDialogs(props: EditorDialogsProps) {
  const { state, onClose } = props;
  return (
    <>
      {state.kind === "save" && <SaveDialog {...props} />}
      {state.kind === "conflict" && (
        <Dialog
          open
          onClose={onClose}
          title="Someone saved a newer version"
          description={state.text}
          footer={
            <>
              <Button variant="outline" onClick={() => props.onReload(state.latest)}>
                Reload version {state.latest}
              </Button>
              <Button pending={props.saving} onClick={() => props.onSaveOnTop(state.message, state.latest)}>
                Save mine on top of version {state.latest}
              </Button>
            </>
          }
        >
          <p className="text-sm text-muted-foreground">
            Nothing was overwritten. Reloading replaces your draft with version {state.latest}; saving on top makes your
            draft version {state.latest + 1}.
          </p>
        </Dialog>
      )}
      {state.kind === "restoreConflict" && (
        <Dialog
          open
          onClose={onClose}
          title="Someone saved a newer version"
          description={state.text}
          footer={
            <>
              <Button variant="outline" onClick={() => props.onReload(state.latest)}>
                Reload version {state.latest}
              </Button>
              <Button pending={props.restoring} onClick={() => props.onRestoreOnTop(state.version, state.latest)}>
                Restore on top of version {state.latest}
              </Button>
            </>
          }
        >
          <p className="text-sm text-muted-foreground">
            Nothing was restored or overwritten. Reloading replaces your draft with version {state.latest}; restoring on
            top makes version {state.version} version {state.latest + 1}.
          </p>
          <FormError message={props.restoreError} />
        </Dialog>
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
