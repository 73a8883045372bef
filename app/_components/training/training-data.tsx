"use client";

import Link from "next/link";
import { useRouter, useSearchParams } from "next/navigation";
import { useCallback, useMemo, useState, type MouseEvent } from "react";
import { keepPreviousData, useQuery, useQueryClient } from "@tanstack/react-query";
import { useTRPC, useTRPCClient } from "@/_lib/trpc";
import { useWorkspace } from "../shell/workspace-context";
import { Button, buttonClasses } from "../ui/button";
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from "../ui/card";
import { FormError } from "../ui/field";
import { BulkActions } from "./bulk-actions";
import { ExportMenu } from "./export-menu";
import { chooseAll, clickImage, NO_SELECTION, withoutImages } from "./grid-selection";
import { ImportPanel } from "./import-panel";
import { LabelCounts } from "./label-counts";
import { SelectionToolbar } from "./selection-toolbar";
import { annotateHref, taskHref } from "./task-routes";
import { filterOfParams, filterParams, type TrainingFilter } from "./training-format";
import { TrainingFilters } from "./training-filters";
import { TrainingGrid } from "./training-grid";
import type { TrainingTask } from "./training-types";

/** Images per page: a page renders at once, so thousands of images never sit in the tab together. */
export const PAGE_SIZE = 100;
/** The most "choose all matching" gathers: what one bulk action takes. */
const MAX_CHOSEN = 10_000;

/**
 * A task's training set: counts per label with what training still needs, the import panel and export menu,
 * and the images as a paged grid with filters in the URL, multi-select and bulk actions. Viewers see it all
 * without the controls that change anything.
 */
export function TrainingData({ task, canEdit }: { task: TrainingTask; canEdit: boolean }) {
  const workspace = useWorkspace();
  const trpc = useTRPC();
  const client = useTRPCClient();
  const queryClient = useQueryClient();
  const router = useRouter();
  const params = useSearchParams();
  const filter = useMemo(() => filterOfParams(params), [params]);
  const filterKey = filterParams(filter).toString();
  // The cursors of the pages walked so far; a new filter starts again at its first page.
  const [paging, setPaging] = useState<{ key: string; cursors: (number | null)[] }>({ key: "", cursors: [null] });
  const cursors = paging.key === filterKey ? paging.cursors : [null];
  const cursor = cursors.at(-1) ?? null;
  const [selection, setSelection] = useState(NO_SELECTION);
  const [choosingAll, setChoosingAll] = useState<number | null>(null);
  const [chooseError, setChooseError] = useState<string | undefined>();

  const input = { workspaceId: workspace.id, taskId: task.id, ...filter };
  const list = useQuery({
    ...trpc.trainingSet.list.queryOptions({ ...input, cursor, limit: PAGE_SIZE }),
    placeholderData: keepPreviousData,
  });
  const counts = useQuery(trpc.trainingSet.counts.queryOptions({ workspaceId: workspace.id, taskId: task.id }));
  const items = useMemo(() => list.data?.items ?? [], [list.data]);
  const order = useMemo(() => items.map((i) => i.imageId), [items]);
  const selected = useMemo(() => [...selection.ids], [selection]);

  const setFilter = useCallback(
    (next: TrainingFilter) => router.replace(taskHref(workspace.id, task.id, "data", next), { scroll: false }),
    [router, workspace.id, task.id],
  );
  const refresh = useCallback(
    () =>
      Promise.all([
        queryClient.invalidateQueries({ queryKey: trpc.trainingSet.pathKey() }),
        // An import into a task without labels gives it the data's labels.
        queryClient.invalidateQueries({ queryKey: trpc.task.get.queryKey() }),
        // Images moved into a test set show in the models tab's evaluation.
        queryClient.invalidateQueries({ queryKey: trpc.evaluation.testSets.queryKey() }),
      ]),
    [queryClient, trpc],
  );

  async function chooseAllMatching() {
    setChooseError(undefined);
    const ids: string[] = [];
    let after: number | null = null;
    setChoosingAll(0);
    try {
      do {
        const page = await client.trainingSet.list.query({ ...input, cursor: after, limit: 500 });
        ids.push(...page.items.map((i) => i.imageId));
        after = page.nextCursor;
        setChoosingAll(ids.length);
      } while (after !== null && ids.length < MAX_CHOSEN);
      setSelection((s) => chooseAll(s, ids.slice(0, MAX_CHOSEN)));
      if (after !== null)
        setChooseError(`Chose the first ${MAX_CHOSEN.toLocaleString()}: a bulk action takes at most that many.`);
    } catch (error) {
      setChooseError(`Could not gather the matching images: ${error instanceof Error ? error.message : String(error)}`);
    } finally {
      setChoosingAll(null);
    }
  }

  const onTileClick = (id: string, event: MouseEvent) =>
    setSelection((s) => clickImage(s, order, id, { shift: event.shiftKey }));
  const page = cursors.length;
  const first = (page - 1) * PAGE_SIZE + 1;
  const empty = counts.data?.total === 0;

  return (
    <div className="grid gap-6" data-training-data>
      <div className="grid items-start gap-6 lg:grid-cols-2">
        <LabelCounts task={task} counts={counts.data} filter={filter} onFilter={setFilter} />
        {canEdit ? (
          <ImportPanel
            workspaceId={workspace.id}
            taskId={task.id}
            taskType={task.type}
            onImported={() => void refresh()}
          />
        ) : (
          <Card>
            <CardHeader>
              <CardTitle>Import images</CardTitle>
              <CardDescription>
                Editors bring images in and annotate them. As a viewer you can look at the set and export it.
              </CardDescription>
            </CardHeader>
          </Card>
        )}
      </div>
      <Card>
        <CardHeader className="flex flex-row flex-wrap items-start justify-between gap-3">
          <div className="grid gap-1.5">
            <CardTitle>Images</CardTitle>
            <CardDescription>Click to choose an image, shift-click to choose a range.</CardDescription>
          </div>
          <div className="flex gap-2">
            <Link
              href={annotateHref(workspace.id, task.id, { queue: "mine" })}
              className={buttonClasses("outline", "sm")}
            >
              My queue
            </Link>
            <ExportMenu workspaceId={workspace.id} taskId={task.id} taskType={task.type} />
          </div>
        </CardHeader>
        <CardContent className="grid gap-4">
          <TrainingFilters labels={task.labels} filter={filter} onChange={setFilter} />
          <SelectionToolbar
            workspaceId={workspace.id}
            taskId={task.id}
            filter={filter}
            selected={selected}
            canEdit={canEdit}
            choosingAll={choosingAll}
            onChoosePage={() => setSelection((s) => chooseAll(s, order))}
            onChooseAll={() => void chooseAllMatching()}
            onClear={() => setSelection(NO_SELECTION)}
          >
            <BulkActions
              workspaceId={workspace.id}
              task={task}
              imageIds={selected}
              onDone={(gone) => {
                setSelection((s) => withoutImages(s, gone));
                void refresh();
              }}
            />
          </SelectionToolbar>
          <FormError message={chooseError ?? list.error?.message} />
          {items.length === 0 ? (
            <p
              className="rounded-lg border border-dashed px-4 py-10 text-center text-sm text-muted-foreground"
              data-grid-empty
            >
              {list.isPending
                ? "Loading images…"
                : empty
                  ? canEdit
                    ? "No images yet: import some above."
                    : "No images yet."
                  : "No image matches these filters."}
            </p>
          ) : (
            <TrainingGrid items={items} selected={selection.ids} onClick={onTileClick} />
          )}
          {(page > 1 || list.data?.nextCursor != null) && (
            <div className="flex items-center justify-between gap-2 text-sm" data-paging>
              <Button
                size="sm"
                variant="outline"
                disabled={page === 1}
                onClick={() => setPaging({ key: filterKey, cursors: cursors.slice(0, -1) })}
              >
                Previous
              </Button>
              <span className="text-muted-foreground">
                Images {first}–{first + items.length - 1}
                {list.isFetching ? " · loading…" : ""}
              </span>
              <Button
                size="sm"
                variant="outline"
                disabled={list.data?.nextCursor == null || list.isPlaceholderData}
                onClick={() => setPaging({ key: filterKey, cursors: [...cursors, list.data?.nextCursor ?? null] })}
              >
                Next
              </Button>
            </div>
          )}
        </CardContent>
      </Card>
    </div>
  );
}
