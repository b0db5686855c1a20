/** Findings by status as one stacked bar with a legend that carries the numbers (colour is not needed to read it). */
import { count, percent } from "@/lib/views/format";
import { STATUS_LABEL, type StatusName } from "@/lib/views/labels";
import { STATUSES } from "@/lib/posture/vocabulary";
import { StatusIcon } from "@/components/ui/badges";

const FILL: Record<StatusName, string> = { pass: "bg-emerald-600", fail: "bg-red-600", unknown: "bg-amber-400", not_applicable: "bg-slate-300" };
const TEXT: Record<StatusName, string> = { pass: "text-emerald-800", fail: "text-red-800", unknown: "text-amber-800", not_applicable: "text-slate-600" };

export function StatusBar({ counts, label }: { counts: Record<StatusName, number>; label: string }) {
  const total = STATUSES.reduce((n, s) => n + (counts[s] ?? 0), 0);
  if (total === 0) return null;
  return (
    <div>
      <p className="mb-1.5 text-xs font-medium text-slate-700">{label}</p>
      <div className="flex h-2.5 overflow-hidden rounded-full bg-slate-100" aria-hidden="true">
        {STATUSES.map((s) => (counts[s] ? <div key={s} className={FILL[s]} style={{ width: `${(100 * counts[s]) / total}%` }} /> : null))}
      </div>
      <ul className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs sm:grid-cols-4">
        {STATUSES.map((s) => (
          <li key={s} className={`flex items-center gap-1.5 ${TEXT[s]}`}>
            <StatusIcon status={s} className="h-3.5 w-3.5" />
            <span className="font-semibold tabular-nums">{count(counts[s] ?? 0)}</span>
            <span className="text-slate-600">
              {STATUS_LABEL[s].toLowerCase()} ({percent(counts[s] ?? 0, total)})
            </span>
          </li>
        ))}
      </ul>
    </div>
  );
}
