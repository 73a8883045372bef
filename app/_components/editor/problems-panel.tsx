"use client";

import type { GraphProblem } from "@vizflow/sdk";

/** Every problem the validator found; clicking one selects and centres its node. */
export function ProblemsPanel({
  problems,
  titleOf,
  onFocus,
}: {
  problems: readonly GraphProblem[];
  titleOf: (nodeId: string) => string;
  onFocus: (nodeId: string) => void;
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
            onClick={() => problem.nodeId !== undefined && onFocus(problem.nodeId)}
            className="w-full rounded-md border border-destructive/30 bg-destructive/5 px-2 py-1.5 text-left text-xs hover:bg-destructive/10"
          >
            {problem.nodeId !== undefined && <span className="font-semibold">{titleOf(problem.nodeId)}: </span>}
            <span className="text-destructive">{problem.message}</span>
          </button>
        </li>
      ))}
    </ul>
  );
}
