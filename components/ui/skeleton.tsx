/** Loading placeholders shown by `<Suspense>` while a page's data is read. */
export function SkeletonBlock({ className = "h-4 w-full" }: { className?: string }) {
  return <div className={`animate-pulse rounded bg-slate-200 ${className}`} />;
}

export function PanelSkeleton({ rows = 6, title = true }: { rows?: number; title?: boolean }) {
  return (
    <div className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm" aria-hidden="true">
      {title ? <SkeletonBlock className="mb-4 h-4 w-40" /> : null}
      <div className="space-y-3">
        {Array.from({ length: rows }, (_, i) => (
          <SkeletonBlock key={i} className={`h-3.5 ${i % 3 === 2 ? "w-2/3" : "w-full"}`} />
        ))}
      </div>
    </div>
  );
}

export function PageSkeleton({ label = "Loading" }: { label?: string }) {
  return (
    <div role="status" aria-live="polite" className="space-y-6">
      <span className="sr-only">{label}…</span>
      <SkeletonBlock className="h-7 w-64" />
      <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
        {Array.from({ length: 4 }, (_, i) => (
          <div key={i} className="rounded-lg border border-slate-200 bg-white p-4 shadow-sm">
            <SkeletonBlock className="h-3 w-20" />
            <SkeletonBlock className="mt-3 h-6 w-16" />
          </div>
        ))}
      </div>
      <PanelSkeleton rows={8} />
    </div>
  );
}
