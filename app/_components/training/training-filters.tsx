"use client";

import { useEffect, useState } from "react";
import { Button } from "../ui/button";
import { Input } from "../ui/input";
import { Select } from "../ui/select";
import type { TrainingFilter } from "./training-format";

const SEARCH_DELAY_MS = 300;

/** The grid's filters; the view keeps them in the URL, so a reload or a shared link shows the same images. */
export function TrainingFilters({
  labels,
  filter,
  onChange,
}: {
  labels: readonly string[];
  filter: TrainingFilter;
  onChange: (filter: TrainingFilter) => void;
}) {
  const [search, setSearch] = useState(filter.search ?? "");
  // Typing updates the URL once the person pauses, not at every key.
  useEffect(() => {
    if (search === (filter.search ?? "")) return;
    const timer = setTimeout(
      () => onChange({ ...filter, search: search === "" ? undefined : search }),
      SEARCH_DELAY_MS,
    );
    return () => clearTimeout(timer);
  }, [search, filter, onChange]);
  const knownLabel = filter.label === undefined || labels.includes(filter.label);
  const any = Object.values(filter).some((v) => v !== undefined);

  return (
    <div className="flex flex-wrap items-end gap-3" data-training-filters>
      <label className="grid gap-1 text-xs font-medium">
        Label
        <Select
          aria-label="Filter by label"
          className="w-44"
          value={filter.label ?? ""}
          onChange={(e) => onChange({ ...filter, label: e.target.value === "" ? undefined : e.target.value })}
        >
          <option value="">Any label</option>
          {labels.map((l) => (
            <option key={l} value={l}>
              {l}
            </option>
          ))}
          {!knownLabel && <option value={filter.label}>{filter.label}</option>}
        </Select>
      </label>
      <label className="grid gap-1 text-xs font-medium">
        Status
        <Select
          aria-label="Filter by status"
          className="w-36"
          value={filter.status ?? ""}
          onChange={(e) =>
            onChange({
              ...filter,
              status: e.target.value === "" ? undefined : (e.target.value as TrainingFilter["status"]),
            })
          }
        >
          <option value="">Any status</option>
          <option value="unlabelled">Unlabelled</option>
          <option value="labelled">Labelled</option>
          <option value="verified">Verified</option>
        </Select>
      </label>
      <label className="grid gap-1 text-xs font-medium">
        Source
        <Select
          aria-label="Filter by proposals"
          className="w-48"
          value={filter.proposed === undefined ? "" : String(filter.proposed)}
          onChange={(e) =>
            onChange({ ...filter, proposed: e.target.value === "" ? undefined : e.target.value === "true" })
          }
        >
          <option value="">Predicted or confirmed</option>
          <option value="true">Predicted (model proposals)</option>
          <option value="false">Not a proposal</option>
        </Select>
      </label>
      <label className="grid min-w-48 flex-1 gap-1 text-xs font-medium">
        File name
        <Input
          type="search"
          aria-label="Search by file name"
          placeholder="Part of the file name"
          value={search}
          onChange={(e) => setSearch(e.target.value)}
        />
      </label>
      {any && (
        <Button
          variant="ghost"
          size="sm"
          onClick={() => {
            setSearch("");
            onChange({});
          }}
        >
          Clear filters
        </Button>
      )}
    </div>
  );
}
