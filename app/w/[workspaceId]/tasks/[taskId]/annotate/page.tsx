import type { Metadata } from "next";
import { AnnotatePage } from "@/_components/annotate/annotate-page";

export const metadata: Metadata = { title: "Annotate" };

export default async function TaskAnnotatePage({
  params,
  searchParams,
}: {
  params: Promise<{ taskId: string }>;
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const { taskId } = await params;
  const query = await searchParams;
  // One value per parameter: a repeated one keeps its first.
  const search = Object.fromEntries(
    Object.entries(query).map(([key, value]) => [key, Array.isArray(value) ? value[0] : value]),
  );
  return <AnnotatePage taskId={taskId} search={search} />;
}
