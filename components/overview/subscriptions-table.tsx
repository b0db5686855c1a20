/** The subscriptions of the latest scan, worst first: score, failures by severity, unknowns, link. */
import Link from "next/link";
import type { OverviewSubscription } from "@/lib/views/overview-data";
import { count } from "@/lib/views/format";
import { findingsHref, subscriptionHref } from "@/lib/views/search-params";
import { ScoreCell } from "@/components/ui/badges";
import { ChevronRight } from "@/components/ui/icons";
import { Table, Td, Th } from "@/components/ui/table";

function FailCount({ n, severity, subscriptionId, scanId }: { n: number; severity: string; subscriptionId: string; scanId: string }) {
  if (n === 0) return <span className="text-slate-500">0</span>;
  return (
    <Link
      href={findingsHref({ subscriptionId, severity, status: "fail", scan: scanId })}
      className={`font-semibold tabular-nums hover:underline ${severity === "high" ? "text-red-800" : "text-slate-900"}`}
    >
      {count(n)}
      <span className="sr-only"> {severity} severity failures</span>
    </Link>
  );
}

export function SubscriptionsTable({ rows, scanId, unread }: { rows: OverviewSubscription[]; scanId: string; unread: Set<string> }) {
  return (
    <Table caption="Subscriptions in the latest scan">
      <thead>
        <tr>
          <Th>Subscription</Th>
          <Th>Score</Th>
          <Th className="text-right">Resources</Th>
          <Th className="text-right">High</Th>
          <Th className="text-right">Medium</Th>
          <Th className="text-right">Low</Th>
          <Th className="text-right">Unknown</Th>
          <Th>
            <span className="sr-only">Report</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {rows.map((s) => (
          <tr key={s.key} className="hover:bg-slate-50">
            <Td>
              <Link href={subscriptionHref(s.subscriptionId, scanId)} className="font-medium text-slate-900 hover:text-blue-800 hover:underline">
                {s.displayName ?? s.subscriptionId}
              </Link>
              <div className="font-mono text-[11px] text-slate-500">{s.subscriptionId}</div>
              {unread.has(s.key) ? <div className="mt-0.5 text-xs font-medium text-amber-800">Not read in this scan</div> : null}
            </Td>
            <Td>
              <ScoreCell score={s.score} />
            </Td>
            <Td className="text-right tabular-nums">{count(s.resources)}</Td>
            <Td className="text-right">
              <FailCount n={s.failBySeverity[0]} severity="high" subscriptionId={s.subscriptionId} scanId={scanId} />
            </Td>
            <Td className="text-right">
              <FailCount n={s.failBySeverity[1]} severity="medium" subscriptionId={s.subscriptionId} scanId={scanId} />
            </Td>
            <Td className="text-right">
              <FailCount n={s.failBySeverity[2]} severity="low" subscriptionId={s.subscriptionId} scanId={scanId} />
            </Td>
            <Td className="text-right tabular-nums">
              {s.counts.unknown > 0 ? <span className="text-amber-800">{count(s.counts.unknown)}</span> : <span className="text-slate-500">0</span>}
            </Td>
            <Td className="text-right">
              <Link
                href={subscriptionHref(s.subscriptionId, scanId)}
                className="inline-flex items-center gap-0.5 whitespace-nowrap text-xs font-medium text-blue-700 hover:underline"
              >
                Report<span className="sr-only"> for {s.displayName ?? s.subscriptionId}</span>
                <ChevronRight className="h-3.5 w-3.5" />
              </Link>
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
