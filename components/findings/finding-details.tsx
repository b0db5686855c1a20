/**
 * A finding's reason in the findings table: clamped to three lines until opened, then the full
 * message, its evidence (where, actual, expected) and a link to the resource's filled-in
 * remediation. A native <details>: Enter or Space on the summary opens it, no script needed.
 */
import Link from "next/link";
import { evidenceValue } from "@/lib/views/format";
import { showHidden } from "@/lib/report/visible-text";

export function FindingDetails({
  message,
  evidence,
  controlId,
  resourceName,
  remediationHref,
}: {
  message: string;
  evidence: readonly unknown[];
  controlId: string;
  resourceName: string;
  remediationHref: string;
}) {
  const text = showHidden(message);
  return (
    <details className="group" data-testid="finding-details">
      <summary className="cursor-pointer list-none rounded focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-blue-600 [&::-webkit-details-marker]:hidden">
        <span className="line-clamp-3 group-open:line-clamp-none" data-testid="finding-message">
          {text}
        </span>
        <span className="mt-0.5 inline-block text-xs font-medium text-blue-700 underline">
          <span className="group-open:hidden">Show full reason and evidence</span>
          <span className="hidden group-open:inline">Hide details</span>
        </span>
      </summary>
      <div className="mt-2 space-y-2">
        {evidence.length ? (
          // One text node per entry: the table can hold a hundred findings, each with its evidence.
          <ul className="space-y-1 rounded-md border border-slate-200 bg-slate-50 p-2 font-mono text-[11px] text-slate-800 [overflow-wrap:anywhere]">
            {evidence.map((e, i) => {
              const ev = e as { path?: unknown; actual?: unknown; expected?: unknown };
              return <li key={i}>{`${showHidden(String(ev.path ?? ""))}: ${evidenceValue(ev.actual)} (expected ${evidenceValue(ev.expected)})`}</li>;
            })}
          </ul>
        ) : (
          <p className="text-slate-500">No evidence recorded.</p>
        )}
        <Link href={remediationHref} className="inline-block font-medium text-blue-700 underline hover:text-blue-900">
          How to fix {controlId} on {showHidden(resourceName)}
        </Link>
      </div>
    </details>
  );
}
