/** The audit events table: when, who, what, on what (linked), and the details. */
import Link from "next/link";
import { linkClass } from "@/components/ui/buttons";
import { Table, Td, Th } from "@/components/ui/table";
import { AUDIT_ACTIONS } from "@/lib/views/audit-data";
import { dateTime } from "@/lib/views/format";
import { resourceHref } from "@/lib/views/search-params";
import type { AuditEvent } from "@/lib/store/audit";

function Target({ event }: { event: AuditEvent }) {
  if (!event.target) return <span className="text-slate-400">—</span>;
  if (event.action === "resource.rechecked") {
    return (
      <Link href={resourceHref(event.target)} className={linkClass}>
        {event.target.split("/").pop()}
      </Link>
    );
  }
  if (event.action.startsWith("scan.") || event.action === "snapshot.imported" || event.action === "report.exported") {
    // The scan's findings (a scan that did not succeed says so there, with a way on).
    return (
      <Link href={`/findings?scan=${encodeURIComponent(event.target)}`} className={`${linkClass} font-mono`}>
        {event.target}
      </Link>
    );
  }
  if (event.action.startsWith("exception.")) {
    return (
      <Link href="/exceptions" className={linkClass}>
        exception <span className="font-mono">{event.target}</span>
      </Link>
    );
  }
  return <span className="font-mono">{event.target}</span>;
}

function Details({ details }: { details: Record<string, unknown> | null }) {
  const entries = Object.entries(details ?? {}).filter(([, v]) => v !== undefined && v !== null && v !== "");
  if (entries.length === 0) return <span className="text-slate-400">—</span>;
  return (
    <ul className="space-y-0.5">
      {entries.map(([k, v]) => (
        <li key={k} className="break-all">
          <span className="text-slate-500">{k}: </span>
          {typeof v === "string" ? v : JSON.stringify(v)}
        </li>
      ))}
    </ul>
  );
}

export function AuditTable({ items }: { items: AuditEvent[] }) {
  return (
    <Table caption="Audit events: when, who, what, on what, and the details" className="min-w-[44rem]">
      <thead>
        <tr>
          <Th>When</Th>
          <Th>Who</Th>
          <Th>What</Th>
          <Th>On</Th>
          <Th>Details</Th>
        </tr>
      </thead>
      <tbody>
        {items.map((e) => (
          <tr key={e.id} data-testid="audit-row" data-action={e.action}>
            <Td className="whitespace-nowrap text-xs">{dateTime(e.at)}</Td>
            <Td className="text-sm">{e.actor}</Td>
            <Td className="text-sm">{AUDIT_ACTIONS[e.action as keyof typeof AUDIT_ACTIONS] ?? e.action}</Td>
            <Td className="max-w-[18rem] break-all text-xs">
              <Target event={e} />
            </Td>
            <Td className="text-xs text-slate-600">
              <Details details={e.details} />
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
