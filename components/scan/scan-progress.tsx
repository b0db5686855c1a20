"use client";
/** A scan's progress: phase in words, done/total, and a bar (indeterminate until a total is known). */
import { phaseLabel } from "@/lib/views/labels";
import type { ScanProgressState } from "./use-scan-events";

export function ScanProgress({ state }: { state: ScanProgressState }) {
  const determinate = state.total > 0;
  const pct = determinate ? Math.min(100, Math.round((100 * state.done) / state.total)) : 0;
  // A queued job waits for a worker: say so, so nobody mistakes an idle queue for a hung scan.
  const phase = state.status === "queued" ? (state.runner === "queue" ? "Queued: waiting for a worker to take it" : "Queued") : phaseLabel(state.phase);
  const text = determinate ? `${phase}: ${state.done.toLocaleString("en-US")} of ${state.total.toLocaleString("en-US")}` : phase;
  return (
    <div className="w-full min-w-56">
      <div className="mb-1 flex items-center justify-between gap-3 text-xs text-slate-700">
        <span className="font-medium" data-testid="scan-phase">
          {phase}
        </span>
        {determinate ? (
          <span className="tabular-nums text-slate-600">
            {state.done.toLocaleString("en-US")} / {state.total.toLocaleString("en-US")}
          </span>
        ) : null}
      </div>
      <div
        role="progressbar"
        aria-label="Scan progress"
        aria-valuemin={0}
        aria-valuemax={determinate ? state.total : undefined}
        aria-valuenow={determinate ? state.done : undefined}
        aria-valuetext={text}
        className="relative h-2 overflow-hidden rounded-full bg-slate-200"
      >
        {determinate ? (
          // Its own key: the indeterminate third must not slide into the first real width.
          <div key="determinate" className="absolute inset-y-0 left-0 rounded-full bg-blue-700 transition-[width] duration-300" style={{ width: `${pct}%` }} />
        ) : (
          <div key="indeterminate" className="absolute inset-y-0 left-0 w-1/3 animate-pulse rounded-full bg-blue-700/70" />
        )}
      </div>
    </div>
  );
}
