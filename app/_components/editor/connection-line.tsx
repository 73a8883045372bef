"use client";

import { getBezierPath, type ConnectionLineComponentProps } from "@xyflow/react";
import { useCanvasInfo } from "./editor-context";

/** The line drawn while connecting; over a handle that refuses it, it turns red and says why. */
export function ConnectionLine({ fromX, fromY, toX, toY, fromNode, fromHandle, toNode }: ConnectionLineComponentProps) {
  const info = useCanvasInfo();
  const [path] = getBezierPath({ sourceX: fromX, sourceY: fromY, targetX: toX, targetY: toY });
  const verdict = toNode && fromHandle?.id ? info.checkEdge(fromNode.id, fromHandle.id, toNode.id) : undefined;
  const refused = verdict !== undefined && !verdict.ok;
  return (
    <g>
      <path
        d={path}
        fill="none"
        strokeWidth={2}
        stroke={refused ? "#dc2626" : "#6366f1"}
        strokeDasharray={refused ? "6 4" : undefined}
      />
      {refused && (
        <foreignObject x={toX + 12} y={toY + 8} width={260} height={80} style={{ overflow: "visible" }}>
          <div
            role="status"
            className="rounded-md border border-destructive/40 bg-background px-2 py-1 text-xs text-destructive shadow"
          >
            {verdict.reason}
          </div>
        </foreignObject>
      )}
    </g>
  );
}
