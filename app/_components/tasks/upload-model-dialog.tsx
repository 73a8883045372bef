"use client";

import { useEffect, useRef, useState } from "react";
import { labelNames } from "@vizflow/sdk";
import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { Button } from "../ui/button";
import { Dialog } from "../ui/dialog";
import { Field, FormError, TextField } from "../ui/field";
import { Select } from "../ui/select";
import { ADAPTER_PRESETS, NORMALISATIONS, presetById } from "./adapter-presets";
import { adapterFromFields, fieldsFromAdapter, scaleText, type AdapterFields } from "./adapter-fields";
import { decodersFor, hasParamFields, paramsOf, withDecoder, withParams } from "./decoder-choice";
import { DecoderParamsForm } from "./decoder-params-form";
import { LabelListField } from "./label-list-field";
import { OutputClassesCheck, useModelClasses } from "./output-classes-check";
import { ProgressBar } from "./progress-bar";
import type { TaskType } from "./task-types";
import { formatBytes, uploadForm, type UploadError } from "./upload";

const textarea =
  "rounded-md border border-input bg-background px-3 py-2 font-mono text-xs shadow-sm focus-visible:outline-none focus-visible:ring-2 focus-visible:ring-ring";

interface SchemaProperty {
  enum?: string[];
  description?: string;
}

/** Upload an ONNX file with its adapter: a preset to start from, every field editable, checked on the server. */
export function UploadModelDialog({
  task,
  onClose,
  onUploaded,
}: {
  task: { id: string; type: TaskType; labels: readonly string[] };
  onClose: () => void;
  onUploaded: () => void;
}) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const form = useQuery(trpc.modelVersion.form.queryOptions({ workspaceId: workspace.id }));
  const presets = ADAPTER_PRESETS.filter((p) => p.taskTypes.includes(task.type));
  const [presetId, setPresetId] = useState(presets[0]?.id ?? "");
  const [fields, setFields] = useState<AdapterFields>(() =>
    fieldsFromAdapter(
      (presets[0] ?? ADAPTER_PRESETS[0])?.adapter ?? (ADAPTER_PRESETS[0] as (typeof ADAPTER_PRESETS)[number]).adapter,
    ),
  );
  const [file, setFile] = useState<File | undefined>();
  const [notes, setNotes] = useState("");
  const [activate, setActivate] = useState(true);
  const [errors, setErrors] = useState<Partial<Record<keyof AdapterFields | "file", string>>>({});
  const [failure, setFailure] = useState<UploadError | undefined>();
  const [progress, setProgress] = useState<number | undefined>();
  const [checking, setChecking] = useState(false);
  const failureRef = useRef<HTMLDivElement>(null);
  useEffect(() => {
    if (failure !== undefined) failureRef.current?.scrollIntoView({ block: "nearest" });
  }, [failure]);

  const set = (key: keyof AdapterFields) => (value: string) => setFields((f) => ({ ...f, [key]: value }));
  const properties = (form.data?.schema as { properties?: Record<string, SchemaProperty> } | undefined)?.properties;
  const options = (key: string) => properties?.[key]?.enum ?? [];
  const decoders = decodersFor(form.data?.decoders ?? [], task.type);
  const decoder = decoders.find((d) => d.id === fields.decoder);
  const decoderParams = Object.entries(
    (decoder?.params as { properties?: Record<string, { description?: string }> } | undefined)?.properties ?? {},
  );
  const paramsForm = decoder !== undefined && hasParamFields(decoder) ? paramsOf(fields.params) : undefined;
  const maxBytes = form.data?.maxModelBytes;
  const modelClasses = useModelClasses(file, fields, task.type);

  const applyPreset = (id: string) => {
    setPresetId(id);
    const preset = presetById(id);
    if (preset) setFields(fieldsFromAdapter(preset.adapter));
  };

  const submit = async () => {
    setFailure(undefined);
    const parsed = adapterFromFields(fields);
    const fileError =
      file === undefined
        ? "Choose the .onnx file."
        : maxBytes !== undefined && file.size > maxBytes
          ? `The file is ${formatBytes(file.size)}; the limit is ${formatBytes(maxBytes)}.`
          : undefined;
    if (!parsed.ok || fileError !== undefined) {
      setErrors({ ...(parsed.ok ? {} : parsed.errors), ...(fileError === undefined ? {} : { file: fileError }) });
      return;
    }
    setErrors({});
    const body = new FormData();
    body.append("adapter", JSON.stringify(parsed.adapter));
    body.append("notes", notes);
    body.append("activate", String(activate));
    body.append("file", file as File);
    setProgress(0);
    const result = await uploadForm(
      `/api/workspaces/${workspace.id}/tasks/${task.id}/model-versions`,
      body,
      (fraction) => {
        setProgress(fraction);
        if (fraction >= 1) setChecking(true);
      },
    );
    setProgress(undefined);
    setChecking(false);
    if (result.ok) onUploaded();
    else setFailure(result.error);
  };

  const busy = progress !== undefined;
  return (
    <Dialog
      open
      onClose={onClose}
      title="Upload a model version"
      description="An ONNX file and how to feed and read it. It is checked before anything is saved: it must load, fit these settings and decode a test image."
      className="sm:max-w-3xl"
      footer={
        <>
          <Button variant="outline" onClick={onClose} disabled={busy}>
            Cancel
          </Button>
          <Button onClick={() => void submit()} pending={busy}>
            Upload and check
          </Button>
        </>
      }
    >
      <div className="grid max-h-[65vh] gap-4 overflow-y-auto pr-1">
        <FormError message={form.error?.message} />
        <Field
          id="model-file"
          label="ONNX file"
          error={errors.file}
          hint={maxBytes === undefined ? undefined : `Up to ${formatBytes(maxBytes)}.`}
        >
          {(control) => (
            <input
              {...control}
              type="file"
              accept=".onnx"
              className="text-sm"
              onChange={(e) => setFile(e.target.files?.[0])}
            />
          )}
        </Field>
        <Field
          id="adapter-preset"
          label="Preset"
          hint={presetById(presetId)?.description ?? "Fill in every field yourself."}
        >
          {(control) => (
            <Select {...control} value={presetId} onChange={(e) => applyPreset(e.target.value)}>
              {ADAPTER_PRESETS.map((p) => (
                <option key={p.id} value={p.id}>
                  {p.title}
                  {p.taskTypes.includes(task.type) ? "" : " (for another task type)"}
                </option>
              ))}
              <option value="">Custom</option>
            </Select>
          )}
        </Field>
        <fieldset className="grid gap-3 rounded-lg border p-4 sm:grid-cols-3">
          <legend className="px-1 text-sm font-medium">Input</legend>
          <TextField
            id="adapter-input"
            label="Input name"
            value={fields.input}
            error={errors.input}
            onChange={(e) => set("input")(e.target.value)}
          />
          <TextField
            id="adapter-width"
            label="Width (px)"
            inputMode="numeric"
            value={fields.width}
            error={errors.width}
            onChange={(e) => set("width")(e.target.value)}
          />
          <TextField
            id="adapter-height"
            label="Height (px)"
            inputMode="numeric"
            value={fields.height}
            error={errors.height}
            onChange={(e) => set("height")(e.target.value)}
          />
          <EnumField
            id="adapter-resize"
            label="Resize mode"
            value={fields.resize}
            options={options("resize")}
            onChange={set("resize")}
          />
          {fields.resize === "center-crop" && (
            <TextField
              id="adapter-crop"
              label="Crop ratio"
              value={fields.cropRatio}
              error={errors.cropRatio}
              hint="0.875: resize to 256, crop 224."
              onChange={(e) => set("cropRatio")(e.target.value)}
            />
          )}
          {fields.resize === "letterbox" && (
            <TextField
              id="adapter-pad"
              label="Padding value (px)"
              value={fields.padValue}
              error={errors.padValue}
              onChange={(e) => set("padValue")(e.target.value)}
            />
          )}
          <EnumField
            id="adapter-colour"
            label="Colour order"
            value={fields.colorOrder}
            options={options("colorOrder")}
            onChange={set("colorOrder")}
          />
          <EnumField
            id="adapter-layout"
            label="Tensor layout"
            value={fields.layout}
            options={options("layout")}
            onChange={set("layout")}
          />
          <EnumField
            id="adapter-interpolation"
            label="Resampling"
            value={fields.interpolation}
            options={["", ...options("interpolation")]}
            onChange={set("interpolation")}
            hint="Empty: bilinear (OpenCV's default)."
          />
        </fieldset>
        {properties?.resize?.description !== undefined && (
          <p className="-mt-2 text-xs text-muted-foreground">{properties.resize.description}</p>
        )}
        <fieldset className="grid gap-3 rounded-lg border p-4 sm:grid-cols-3">
          <legend className="px-1 text-sm font-medium">Normalisation: (px × scale − mean) ÷ std</legend>
          <div className="sm:col-span-3">
            <Field id="adapter-normalisation" label="Preset">
              {(control) => (
                <Select
                  {...control}
                  value=""
                  onChange={(e) => {
                    const n = NORMALISATIONS.find((x) => x.id === e.target.value);
                    if (n)
                      setFields((f) => ({
                        ...f,
                        scale: scaleText(n.scale),
                        mean: n.mean.join(", "),
                        std: n.std.join(", "),
                      }));
                  }}
                >
                  <option value="">Choose to fill in scale, mean and std…</option>
                  {NORMALISATIONS.map((n) => (
                    <option key={n.id} value={n.id}>
                      {n.title}
                    </option>
                  ))}
                </Select>
              )}
            </Field>
          </div>
          <TextField
            id="adapter-scale"
            label="Scale"
            value={fields.scale}
            error={errors.scale}
            hint="Default 1/255."
            onChange={(e) => set("scale")(e.target.value)}
          />
          <TextField
            id="adapter-mean"
            label="Mean"
            value={fields.mean}
            error={errors.mean}
            hint="1 value or 1 per channel."
            onChange={(e) => set("mean")(e.target.value)}
          />
          <TextField
            id="adapter-std"
            label="Std"
            value={fields.std}
            error={errors.std}
            hint="1 value or 1 per channel."
            onChange={(e) => set("std")(e.target.value)}
          />
        </fieldset>
        <fieldset className="grid gap-3 rounded-lg border p-4">
          <legend className="px-1 text-sm font-medium">Output</legend>
          <Field id="adapter-decoder" label="Decoder">
            {(control) => (
              <Select
                {...control}
                value={fields.decoder}
                onChange={(e) => {
                  const id = e.target.value;
                  setFields((f) => withDecoder(f, id, decoders));
                }}
              >
                {decoders.every((d) => d.id !== fields.decoder) && (
                  <option value={fields.decoder}>{fields.decoder}</option>
                )}
                {decoders.map((d) => (
                  <option key={d.id} value={d.id}>
                    {d.title}
                  </option>
                ))}
              </Select>
            )}
          </Field>
          {decoder !== undefined && paramsForm !== undefined && (
            // Built from the decoder's params schema; it edits the JSON below, which the upload sends.
            <DecoderParamsForm
              decoder={decoder}
              params={paramsForm}
              disabled={busy}
              onChange={(params) => setFields((f) => withParams(f, params))}
            />
          )}
          <Field
            id="adapter-params"
            label="Decoder parameters (JSON)"
            error={errors.params}
            hint={
              decoderParams.length === 0 || paramsForm !== undefined ? undefined : (
                <span className="grid gap-0.5">
                  {decoderParams.map(([name, p]) => (
                    <span key={name}>
                      <code>{name}</code>: {p.description ?? ""}
                    </span>
                  ))}
                </span>
              )
            }
          >
            {(control) => (
              <textarea
                {...control}
                rows={5}
                className={textarea}
                value={fields.params}
                onChange={(e) => set("params")(e.target.value)}
              />
            )}
          </Field>
          {task.type !== "regression" && (
            <LabelListField
              id="adapter-labels"
              label="Output classes"
              optional
              value={fields.labels}
              onChange={set("labels")}
              rows={3}
              hint={`The model's classes in output order, one per line, read like the task's labels (an id before the name is dropped), when they differ from the task's ${task.labels.length} labels. Each must be one of the task's labels.`}
            >
              <OutputClassesCheck
                outputClasses={labelNames(fields.labels)}
                taskLabels={task.labels}
                model={modelClasses}
                onUseTaskLabels={() => set("labels")("")}
              />
            </LabelListField>
          )}
        </fieldset>
        <TextField id="model-notes" label="Notes (optional)" value={notes} onChange={(e) => setNotes(e.target.value)} />
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" checked={activate} onChange={(e) => setActivate(e.target.checked)} />
          Make it the active version once it passes the checks
        </label>
        {progress !== undefined && (
          <ProgressBar fraction={progress} label={checking ? "Uploaded; checking the model…" : "Uploading"} />
        )}
        {failure !== undefined && (
          <div
            ref={failureRef}
            role="alert"
            className="rounded-md border border-destructive/40 bg-destructive/5 p-3 text-sm text-destructive"
          >
            <p className="font-medium">The model was not saved.</p>
            {failure.problems !== undefined && failure.problems.length > 0 ? (
              <ul className="mt-1 list-disc pl-5" data-testid="upload-problems">
                {failure.problems.map((p, i) => (
                  <li key={i}>{typeof p === "string" ? p : p.message}</li>
                ))}
              </ul>
            ) : (
              <p className="mt-1">{failure.message}</p>
            )}
          </div>
        )}
      </div>
    </Dialog>
  );
}

function EnumField({
  id,
  label,
  value,
  options,
  onChange,
  hint,
}: {
  id: string;
  label: string;
  value: string;
  options: readonly string[];
  onChange: (value: string) => void;
  hint?: string | undefined;
}) {
  return (
    <Field id={id} label={label} hint={hint}>
      {(control) => (
        <Select {...control} value={value} onChange={(e) => onChange(e.target.value)}>
          {options.includes(value) ? null : <option value={value}>{value}</option>}
          {options.map((o) => (
            <option key={o} value={o}>
              {o === "" ? "Default" : o}
            </option>
          ))}
        </Select>
      )}
    </Field>
  );
}
