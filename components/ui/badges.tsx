/** Status, severity, muted and score indicators: colour is never the only signal (icon + text). */
import { AGREEMENT_LABEL, AZURE_STATE_LABEL, isSeverity, isStatus, REASON_LABEL, SEVERITY_LABEL, STATUS_LABEL, STATUS_ORDER } from "@/lib/views/labels";
import { AGREEMENTS, AZURE_STATES, isOneOf, type Agreement, type AzureState } from "@/lib/posture/vocabulary";

const isAzureState = (v: string): v is AzureState => isOneOf(AZURE_STATES, v);
const isAgreement = (v: string): v is Agreement => isOneOf(AGREEMENTS, v);
import { BellOff, CheckCircle, HelpCircle, MinusCircle, XCircle } from "./icons";

const STATUS_STYLE: Record<string, string> = {
  pass: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  fail: "bg-red-50 text-red-800 ring-red-600/20",
  unknown: "bg-amber-50 text-amber-900 ring-amber-600/30",
  not_applicable: "bg-slate-100 text-slate-700 ring-slate-500/20",
};

export function StatusIcon({ status, className = "h-4 w-4" }: { status: string; className?: string }) {
  switch (status) {
    case "pass":
      return <CheckCircle className={className} />;
    case "fail":
      return <XCircle className={className} />;
    case "unknown":
      return <HelpCircle className={className} />;
    default:
      return <MinusCircle className={className} />;
  }
}

export function StatusBadge({ status, reason, compact = false }: { status: string; reason?: string | null; compact?: boolean }) {
  const label = isStatus(status) ? STATUS_LABEL[status] : status;
  const why = status === "unknown" && reason ? (REASON_LABEL[reason] ?? reason.replace(/_/g, " ")) : null;
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[status] ?? STATUS_STYLE.not_applicable}`}
      data-status={status}
    >
      <StatusIcon status={status} className="h-3.5 w-3.5 shrink-0" />
      {label}
      {why && !compact ? <span className="font-normal">· {why}</span> : null}
      {why && compact ? <span className="sr-only">: {why}</span> : null}
    </span>
  );
}

export function MutedBadge({ title }: { title?: string }) {
  return (
    <span
      className="inline-flex items-center gap-1 whitespace-nowrap rounded-md bg-violet-50 px-1.5 py-0.5 text-xs font-medium text-violet-800 ring-1 ring-inset ring-violet-600/20"
      title={title}
      data-muted="true"
    >
      <BellOff className="h-3.5 w-3.5" />
      Muted
    </span>
  );
}

const SEVERITY_BARS: Record<string, number> = { high: 3, medium: 2, low: 1 };

export function SeverityBadge({ severity }: { severity: string }) {
  const n = SEVERITY_BARS[severity] ?? 0;
  const label = isSeverity(severity) ? SEVERITY_LABEL[severity] : severity;
  return (
    <span className="inline-flex items-center gap-1.5 whitespace-nowrap text-xs font-medium text-slate-700" data-severity={severity}>
      <svg viewBox="0 0 12 12" className="h-3 w-3" aria-hidden="true" focusable="false">
        {[0, 1, 2].map((i) => (
          <rect
            key={i}
            x={i * 4}
            y={8 - i * 3}
            width="3"
            height={4 + i * 3}
            rx="0.5"
            className={i < n ? (n === 3 ? "fill-rose-700" : n === 2 ? "fill-amber-600" : "fill-sky-600") : "fill-slate-300"}
          />
        ))}
      </svg>
      {label}
    </span>
  );
}

/** Score band words, so the colour is explained. */
export function scoreBand(score: number | null | undefined): { label: string; text: string; bar: string } {
  if (score === null || score === undefined) return { label: "Nothing to judge", text: "text-slate-500", bar: "bg-slate-300" };
  if (score >= 80) return { label: "Good", text: "text-emerald-700", bar: "bg-emerald-600" };
  if (score >= 50) return { label: "Fair", text: "text-amber-700", bar: "bg-amber-500" };
  return { label: "Poor", text: "text-red-700", bar: "bg-red-600" };
}

/** A score with a bar, for tables: "58" + bar, or "n/a". */
export function ScoreCell({ score }: { score: number | null | undefined }) {
  const band = scoreBand(score);
  if (score === null || score === undefined) {
    return (
      <span className="text-sm text-slate-500" title="No pass or fail to judge: score is not 100 but n/a">
        n/a
      </span>
    );
  }
  return (
    <span className="inline-flex items-center gap-2" title={`${band.label}: ${score} of 100`}>
      <span className={`w-7 text-right text-sm font-semibold tabular-nums ${band.text}`}>{score}</span>
      <span className="relative h-1.5 w-16 overflow-hidden rounded-full bg-slate-200" aria-hidden="true">
        <span className={`absolute inset-y-0 left-0 rounded-full ${band.bar}`} style={{ width: `${score}%` }} />
      </span>
      <span className="sr-only">{band.label}</span>
    </span>
  );
}

/** Counts as small labelled chips, e.g. "3 fail · 1 unknown". */
export function CountChips({ counts }: { counts: Partial<Record<string, number>> }) {
  return (
    <span className="inline-flex flex-wrap gap-1">
      {STATUS_ORDER.filter((s) => (counts[s] ?? 0) > 0).map((s) => (
        <span key={s} className={`inline-flex items-center gap-1 rounded px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${STATUS_STYLE[s]}`}>
          <StatusIcon status={s} className="h-3 w-3" />
          {counts[s]} {STATUS_LABEL[s].toLowerCase()}
        </span>
      ))}
    </span>
  );
}

const AZURE_STYLE: Record<string, string> = {
  compliant: "bg-emerald-50 text-emerald-800 ring-emerald-600/20",
  non_compliant: "bg-red-50 text-red-800 ring-red-600/20",
  exempt: "bg-violet-50 text-violet-800 ring-violet-600/20",
  not_evaluated: "bg-slate-100 text-slate-700 ring-slate-500/20",
  none: "bg-slate-100 text-slate-700 ring-slate-500/20",
};

/** Azure's own verdict on a finding; "Not collected" when neither Azure Policy nor Defender was read. */
export function AzureStateBadge({ state, agreement }: { state: string | null; agreement?: string }) {
  const label = state === null ? "Not collected" : isAzureState(state) ? AZURE_STATE_LABEL[state] : state;
  const lenient = agreement === "azure_lenient";
  return (
    <span
      className={`inline-flex items-center gap-1 whitespace-nowrap rounded-md px-1.5 py-0.5 text-xs font-medium ring-1 ring-inset ${AZURE_STYLE[state ?? "none"] ?? AZURE_STYLE.none}`}
      data-azure-state={state ?? "not_collected"}
      title={agreement && isAgreement(agreement) ? AGREEMENT_LABEL[agreement] : undefined}
    >
      {label}
      {lenient ? <span className="font-semibold text-red-800">· data at risk</span> : null}
    </span>
  );
}
