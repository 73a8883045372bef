"use client";

import type { GraphProblem } from "@vizflow/sdk";

/**
 * The id rjsf gives the input of a config field at a JSON pointer: `/conditions/0/field` ->
 * `root_conditions_0_field` (rjsf's default id prefix and separator).
 */
export function fieldInputId(path: string): string {
  const segments = path
    .split("/")
    .slice(1)
    .map((segment) => segment.replace(/~1/g, "/").replace(/~0/g, "~"));
  return ["root", ...segments].join("_");
}

/**
 * Focuses the settings form's input for `path` once the form has rendered (it opens with the node): the
 * field itself, else the nearest enclosing field that has an input (an array's checkbox list).
 */
export function focusField(path: string, tries = 20): void {
  const segments = path.split("/").slice(1);
  for (let n = segments.length; n > 0; n--) {
    const id = fieldInputId(`/${segments.slice(0, n).join("/")}`);
    const element =
      document.getElementById(id) ??
      document.querySelector<HTMLElement>(`[id^="${CSS.escape(id)}"]:is(input, select, textarea, button)`);
    if (element) {
      element.scrollIntoView({ block: "center" });
      element.focus();
      return;
    }
  }
  if (tries > 0) requestAnimationFrame(() => focusField(path, tries - 1));
}

/**
 * Every problem the validator found, each under its node's title; clicking one selects and centres its
 * node, and focuses the setting it is about.
 */
export function ProblemsPanel({
  problems,
  titleOf,
  onFocus,
}: {
  problems: readonly GraphProblem[];
  titleOf: (nodeId: string) => string;
  onFocus: (nodeId: string, path?: string) => void;
}) {
  if (problems.length === 0) {
    return <p className="text-sm text-emerald-700">No problems: this flow can be saved, tested and deployed.</p>;
  }
  return (
    <ul className="grid gap-1.5" aria-label="Problems">
      {problems.map((problem, i) => (
        <li key={i}>
          <button
            type="button"
            disabled={problem.nodeId === undefined}
            onClick={() =>
              problem.nodeId !== undefined &&
              // Only a setting's problem has a field to focus; other paths point into the graph document.
              onFocus(problem.nodeId, problem.fieldMessage === undefined ? undefined : problem.path)
            }
            className="w-full rounded-md border border-destructive/30 bg-destructive/5 px-2 py-1.5 text-left text-xs hover:bg-destructive/10"
          >
            {problem.nodeId !== undefined && <span className="font-semibold">{titleOf(problem.nodeId)}: </span>}
            {/* Under a node's title, the field's own sentence says it; the full message names the node again. */}
            <span className="text-destructive">
              {problem.nodeId !== undefined ? (problem.fieldMessage ?? problem.message) : problem.message}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}
