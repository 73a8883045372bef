"use client";

import { useQuery } from "@tanstack/react-query";
import { useTRPC } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { FormError } from "../ui/field";
import { describeTruth } from "./failed-images";

/** The images of a test set with their truth (the first 120). */
export function TestSetImages({ testSetId }: { testSetId: string }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const images = useQuery(trpc.evaluation.testSetImages.queryOptions({ workspaceId: workspace.id, testSetId }));
  if (images.data === undefined) return <FormError message={images.error?.message} />;
  return (
    <ul className="grid grid-cols-3 gap-2 p-3 sm:grid-cols-6" aria-label="Test set images">
      {images.data.slice(0, 120).map((image) => (
        <li key={image.position} className="grid gap-1 text-xs">
          <img
            src={`/api/workspaces/${workspace.id}/test-sets/${testSetId}/images/${image.position}`}
            alt={image.fileName}
            loading="lazy"
            className="aspect-square w-full rounded object-cover"
          />
          <span className="line-clamp-3 whitespace-pre-line break-words" title={image.fileName}>
            {describeTruth(image.truth)}
          </span>
        </li>
      ))}
      {images.data.length > 120 && (
        <li className="text-xs text-muted-foreground">and {images.data.length - 120} more</li>
      )}
    </ul>
  );
}
