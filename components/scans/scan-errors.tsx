/** A partial scan, explained: which subscriptions and resources could not be read, and why. */
import Link from "next/link";
import type { ErrorLine, ErrorSummary } from "@/lib/views/scan-errors";
import { plural } from "@/lib/views/format";
import { resourceHref } from "@/lib/views/search-params";
import { Alert } from "@/components/ui/layout";

function Line({ e, link }: { e: ErrorLine; link: boolean }) {
  return (
    <li className="break-words">
      {link ? (
        <Link href={resourceHref(e.scope)} className="font-medium underline underline-offset-2">
          {e.name}
        </Link>
      ) : (
        <span className="font-medium">{e.name}</span>
      )}{" "}
      — {e.source}: {e.reason}
      {e.code ? <span className="font-mono text-xs"> ({e.code})</span> : null}
      {e.message ? <span className="text-[0.95em] opacity-90">. {e.message}</span> : null}
    </li>
  );
}

export function ScanErrors({ summary, limit = 8, title }: { summary: ErrorSummary; limit?: number; title?: string }) {
  if (summary.total === 0) return null;
  const reasons = summary.byReason.map(([r, n]) => `${n} ${r}`).join(", ");
  return (
    <Alert tone="warning" title={title ?? `Partial scan: ${plural(summary.total, "item")} could not be read (${reasons})`}>
      <p>Findings that depend on what could not be read are reported as unknown, never as passing.</p>
      {summary.subscriptionsUnread.length ? (
        <div>
          <p className="mt-2 font-medium">Subscriptions not read</p>
          <ul className="ml-4 list-disc space-y-0.5">
            {summary.subscriptionsUnread.map((e, i) => (
              <Line key={i} e={e} link={false} />
            ))}
          </ul>
        </div>
      ) : null}
      {summary.subscriptionOther.length ? (
        <div>
          <p className="mt-2 font-medium">Partly read subscriptions</p>
          <ul className="ml-4 list-disc space-y-0.5">
            {summary.subscriptionOther.map((e, i) => (
              <Line key={i} e={e} link={false} />
            ))}
          </ul>
        </div>
      ) : null}
      {summary.resources.length ? (
        <details className="mt-2" open={summary.resources.length <= 3}>
          <summary className="cursor-pointer font-medium">Resources partly read ({summary.resources.length})</summary>
          <ul className="ml-4 mt-1 list-disc space-y-0.5">
            {summary.resources.slice(0, limit).map((e, i) => (
              <Line key={i} e={e} link />
            ))}
          </ul>
          {summary.resources.length > limit ? (
            <p className="mt-1 text-xs">…and {summary.resources.length - limit} more; see the Scans page for the full list.</p>
          ) : null}
        </details>
      ) : null}
    </Alert>
  );
}
