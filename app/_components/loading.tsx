/** A quiet placeholder while a page finds out where it belongs (session, setup state, workspace). */
export function PageLoading({ label = "Loading…" }: { label?: string }) {
  return (
    <div className="flex min-h-[40vh] items-center justify-center text-sm text-muted-foreground" role="status">
      <span className="mr-2 h-4 w-4 animate-spin rounded-full border-2 border-current border-r-transparent" />
      {label}
    </div>
  );
}
