"use client";

import { useState } from "react";
import type { ActionManifest } from "@vizflow/sdk";
import { INPUT_ACTION } from "@vizflow/sdk";
import { Input } from "../ui/input";

export const ACTION_MIME = "application/vizflow-action";

/**
 * Actions by category, to drag onto the canvas (or click: adds below the selected node). Services are
 * offered like actions when an action that calls them is enabled: dropping one makes a node calling it.
 */
export function Palette({
  actions,
  servicesAsActions,
  onPick,
}: {
  actions: readonly ActionManifest[];
  servicesAsActions: boolean;
  onPick: (ref: string) => void;
}) {
  const [search, setSearch] = useState("");
  const query = search.trim().toLowerCase();
  const shown = actions.filter(
    (a) =>
      a.ref !== INPUT_ACTION &&
      (servicesAsActions || !a.service) &&
      (query === "" || a.title.toLowerCase().includes(query) || a.description.toLowerCase().includes(query)),
  );
  const categories = [...new Set(shown.map((a) => a.category))];
  return (
    <nav aria-label="Actions" className="flex h-full flex-col gap-3 overflow-y-auto p-3">
      <Input
        type="search"
        aria-label="Search actions"
        placeholder="Search actions"
        value={search}
        onChange={(e) => setSearch(e.target.value)}
        className="h-8"
      />
      {categories.map((category) => (
        <section key={category} className="grid gap-1.5">
          <h3 className="text-xs font-semibold uppercase tracking-wide text-muted-foreground">{category}</h3>
          {shown
            .filter((a) => a.category === category)
            .map((action) => (
              <button
                key={action.ref}
                type="button"
                draggable
                data-palette-action={action.ref}
                title={`${action.description} Drag onto the canvas, or click to add below the selected node.`}
                onDragStart={(e) => {
                  e.dataTransfer.setData(ACTION_MIME, action.ref);
                  e.dataTransfer.effectAllowed = "move";
                }}
                onClick={() => onPick(action.ref)}
                className="cursor-grab rounded-md border bg-card px-2.5 py-2 text-left shadow-sm hover:border-primary active:cursor-grabbing"
              >
                <div className="text-sm font-medium">{action.title}</div>
                <div className="line-clamp-2 text-xs text-muted-foreground">{action.description}</div>
              </button>
            ))}
        </section>
      ))}
      {shown.length === 0 && <p className="text-xs text-muted-foreground">No action matches “{search}”.</p>}
    </nav>
  );
}
