/** The scan history table: status, timing, source, score, what was not read, and links to findings and diffs. */
import Link from "next/link";
import { ScoreCell } from "@/components/ui/badges";
import { linkClass } from "@/components/ui/buttons";
import { AlertTriangle, CheckCircle, Clock, MinusCircle, Spinner, XCircle } from "@/components/ui/icons";
import { Panel } from "@/components/ui/layout";
import { Table, Td, Th } from "@/components/ui/table";
import { count, dateTime, duration } from "@/lib/views/format";
import { SCAN_STATUS_LABEL, SOURCE_LABEL } from "@/lib/views/labels";
import { type ScansData } from "@/lib/views/scans-data";
import type { Scan } from "@/lib/store/scans/scans";
import { OriginBadge } from "./origin-badge";

function ScanStatus({ scan }: { scan: Scan }) {
  const label = SCAN_STATUS_LABEL[scan.status] ?? scan.status;
  const style =
    scan.status === "succeeded"
      ? "text-emerald-800"
      : scan.status === "failed"
        ? "text-red-800"
        : scan.status === "cancelled"
          ? "text-slate-700"
          : "text-blue-800";
  const Icon =
    scan.status === "succeeded"
      ? CheckCircle
      : scan.status === "failed"
        ? XCircle
        : scan.status === "cancelled"
          ? MinusCircle
          : scan.status === "running"
            ? Spinner
            : Clock;
  return (
    <span className={`inline-flex items-center gap-1 text-xs font-semibold ${style}`} data-scan-status={scan.status}>
      <Icon className="h-3.5 w-3.5" />
      {label}
    </span>
  );
}

export function ScanHistory({ data, before }: { data: ScansData; before?: string }) {
  return (
    <Panel title="History" id="history" bodyClassName="">
      <Table caption="Scan history">
        <thead>
          <tr>
            <Th>Status</Th>
            <Th>Started</Th>
            <Th>Duration</Th>
            <Th>Source</Th>
            <Th>Score</Th>
            <Th className="text-right">Resources</Th>
            <Th>Errors</Th>
            <Th>
              <span className="sr-only">Actions</span>
            </Th>
          </tr>
        </thead>
        <tbody>
          {data.scans.map((s) => {
            const older = data.succeeded.find((x) => x.status === "succeeded" && (x.finishedAt ?? "") < (s.finishedAt ?? "") && x.id !== s.id);
            return (
              <tr key={s.id} className="hover:bg-slate-50" data-testid="scan-row" data-scan-id={s.id}>
                <Td>
                  <ScanStatus scan={s} />
                  {s.status === "running" || s.status === "queued" ? (
                    <div className="text-[11px] text-slate-500">
                      {s.phase ?? "queued"} {s.total ? `${s.done}/${s.total}` : ""}
                    </div>
                  ) : null}
                </Td>
                <Td className="whitespace-nowrap text-xs">
                  {dateTime(s.startedAt ?? s.createdAt)}
                  <div className="font-mono text-[11px] text-slate-500">{s.id}</div>
                </Td>
                <Td className="whitespace-nowrap text-xs">{duration(s.startedAt, s.endedAt ?? s.finishedAt)}</Td>
                <Td className="text-xs">
                  {SOURCE_LABEL[s.source] ?? s.source}
                  <div className="text-[11px] text-slate-500">by {s.startedBy}</div>
                  <OriginBadge scan={s} />
                </Td>
                <Td>{s.summary ? <ScoreCell score={s.summary.score} /> : <span className="text-xs text-slate-500">—</span>}</Td>
                <Td className="text-right tabular-nums">{s.summary ? count(s.summary.resources) : "—"}</Td>
                <Td className="max-w-[22rem] text-xs">
                  {s.status === "failed" ? (
                    <span className="text-red-800">{s.error ?? "failed"}</span>
                  ) : s.errorCount ? (
                    <Link href={`/scans?errors=${s.id}#errors`} className="inline-flex items-center gap-1 font-medium text-amber-800 hover:underline">
                      <AlertTriangle className="h-3.5 w-3.5" />
                      {count(s.errorCount)} not read
                    </Link>
                  ) : s.status === "succeeded" ? (
                    <span className="text-slate-500">None</span>
                  ) : (
                    <span className="text-slate-500">—</span>
                  )}
                </Td>
                <Td className="whitespace-nowrap text-right text-xs">
                  {s.status === "succeeded" ? (
                    <span className="flex flex-col items-end gap-0.5">
                      <Link href={`/findings?scan=${s.id}`} className={linkClass}>
                        Findings
                      </Link>
                      {older ? (
                        <Link href={`/scans?from=${older.id}&to=${s.id}#diff`} className={linkClass}>
                          Diff with previous
                        </Link>
                      ) : null}
                    </span>
                  ) : null}
                </Td>
              </tr>
            );
          })}
        </tbody>
      </Table>
      <div className="flex justify-between px-4 py-3 text-sm">
        {before ? (
          <Link href="/scans" className={linkClass}>
            Newest scans
          </Link>
        ) : (
          <span />
        )}
        {data.olderBefore ? (
          <Link href={`/scans?before=${encodeURIComponent(data.olderBefore)}`} className={linkClass}>
            Older scans
          </Link>
        ) : null}
      </div>
    </Panel>
  );
}
