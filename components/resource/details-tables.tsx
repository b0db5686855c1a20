/** The per-resource details the collector read: custom-endpoint logging, diagnostic settings, history. */
import Link from "next/link";
import { STATUS_LABEL } from "@/lib/views/labels";
import { dateTime } from "@/lib/views/format";
import { list, readPath, text } from "@/lib/posture/read";
import { StatusIcon } from "@/components/ui/badges";
import { Table, Td, Th } from "@/components/ui/table";

export function EndpointsTable({ endpoints, notCollected, byos }: { endpoints: unknown[] | null; notCollected: string; byos: boolean }) {
  if (endpoints === null) return <p className="px-4 py-3 text-sm text-slate-600">{notCollected}</p>;
  if (endpoints.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">No custom speech endpoints: nothing to log.</p>;
  return (
    <Table caption="Custom speech endpoints and their content logging">
      <thead>
        <tr>
          <Th>Endpoint</Th>
          <Th>Locale</Th>
          <Th>Content logging</Th>
          <Th>Status</Th>
          <Th>Created</Th>
        </tr>
      </thead>
      <tbody>
        {endpoints.map((e, i) => {
          const logging = readPath(e, "properties.loggingEnabled") ?? readPath(e, "properties.contentLoggingEnabled");
          const self = text(readPath(e, "self")) ?? "";
          return (
            <tr key={self || i}>
              <Td>
                <div className="font-medium text-slate-900">{text(readPath(e, "displayName")) ?? "(unnamed)"}</div>
                <div className="font-mono text-[11px] text-slate-500">{self.split("/").pop()}</div>
              </Td>
              <Td>{text(readPath(e, "locale")) ?? "—"}</Td>
              <Td>
                {logging === true ? (
                  <span className={`inline-flex items-center gap-1 font-medium ${byos ? "text-emerald-800" : "text-red-800"}`}>
                    <StatusIcon status={byos ? "pass" : "fail"} className="h-3.5 w-3.5" />
                    On — audio and transcripts kept in {byos ? "customer-owned storage" : "Microsoft-managed storage"}
                  </span>
                ) : (
                  <span className="inline-flex items-center gap-1 text-slate-700">
                    <StatusIcon status="not_applicable" className="h-3.5 w-3.5" /> Off
                  </span>
                )}
              </Td>
              <Td>{text(readPath(e, "status")) ?? "—"}</Td>
              <Td className="whitespace-nowrap text-xs">{dateTime(text(readPath(e, "createdDateTime")))}</Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function DiagnosticSettingsTable({ settings, notCollected }: { settings: unknown[] | null; notCollected: string }) {
  if (settings === null) return <p className="px-4 py-3 text-sm text-slate-600">{notCollected}</p>;
  if (settings.length === 0) return <p className="px-4 py-3 text-sm text-slate-600">No diagnostic settings: audit logs are not exported.</p>;
  return (
    <Table caption="Diagnostic settings">
      <thead>
        <tr>
          <Th>Name</Th>
          <Th>Destinations</Th>
          <Th>Logs enabled</Th>
        </tr>
      </thead>
      <tbody>
        {settings.map((s, i) => {
          const p = readPath(s, "properties");
          const dest = [
            ["Log Analytics", text(readPath(p, "workspaceId"))],
            ["Storage", text(readPath(p, "storageAccountId"))],
            ["Event Hub", text(readPath(p, "eventHubAuthorizationRuleId"))],
            ["Partner", text(readPath(p, "marketplacePartnerId"))],
          ].filter(([, v]) => v) as [string, string][];
          const logs = list(readPath(p, "logs")).filter((l) => readPath(l, "enabled") === true);
          return (
            <tr key={i}>
              <Td className="font-medium">{text(readPath(s, "name")) ?? "(unnamed)"}</Td>
              <Td className="text-xs">
                {dest.length ? (
                  <ul>
                    {dest.map(([k, v]) => (
                      <li key={k}>
                        {k}: <span className="font-mono text-[11px]">{v.split("/").pop()}</span>
                      </li>
                    ))}
                  </ul>
                ) : (
                  <span className="text-red-800">None</span>
                )}
              </Td>
              <Td className="text-xs">
                {logs.length ? (
                  logs.map((l) => text(readPath(l, "category")) ?? text(readPath(l, "categoryGroup"))).join(", ")
                ) : (
                  <span className="text-red-800">None</span>
                )}
              </Td>
            </tr>
          );
        })}
      </tbody>
    </Table>
  );
}

export function HistoryTable({
  history,
  controls,
  currentScanId,
  resourceHrefFor,
}: {
  history: { scanId: string; at: string; score: number | null; statuses: Record<string, string> }[];
  controls: string[];
  currentScanId: string;
  resourceHrefFor: (scanId: string) => string;
}) {
  const rows = [...history].reverse().slice(0, 20);
  return (
    <Table caption="This resource's verdicts in every stored scan, newest first">
      <thead>
        <tr>
          <Th>Scan</Th>
          <Th className="text-right">Score</Th>
          {controls.map((c) => (
            <Th key={c} className="px-1 text-center font-mono text-[10px]">
              {c}
            </Th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((h) => (
          <tr key={h.scanId} className={h.scanId === currentScanId ? "bg-blue-50/50" : undefined}>
            <Td className="whitespace-nowrap text-xs">
              <Link href={resourceHrefFor(h.scanId)} className="text-blue-700 hover:underline" aria-current={h.scanId === currentScanId ? "page" : undefined}>
                {dateTime(h.at)}
              </Link>
            </Td>
            <Td className="text-right text-xs font-semibold tabular-nums">{h.score ?? "n/a"}</Td>
            {controls.map((c) => {
              const s = h.statuses[c];
              return (
                <Td key={c} className="px-1 text-center">
                  {s ? (
                    <span
                      title={`${c}: ${STATUS_LABEL[s as keyof typeof STATUS_LABEL] ?? s}`}
                      className={`inline-flex ${s === "fail" ? "text-red-700" : s === "pass" ? "text-emerald-700" : s === "unknown" ? "text-amber-700" : "text-slate-500"}`}
                    >
                      <StatusIcon status={s} className="h-3.5 w-3.5" />
                      <span className="sr-only">{STATUS_LABEL[s as keyof typeof STATUS_LABEL] ?? s}</span>
                    </span>
                  ) : (
                    <span className="text-slate-500">·</span>
                  )}
                </Td>
              );
            })}
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
