/**
 * All tenants, then one: each tenant of the latest scan scored on its own, with a link that narrows
 * the overview to it and one to its failing findings; and the selector that does the same.
 */
import Link from "next/link";
import { AutoSubmitForm } from "@/components/findings/auto-submit-form";
import { ScoreCell } from "@/components/ui/badges";
import { inputClass } from "@/components/ui/buttons";
import { Table, Td, Th } from "@/components/ui/table";
import type { TenantSummary } from "@/lib/store/tenants";
import { count } from "@/lib/views/format";
import { findingsHref } from "@/lib/views/search-params";
import { tenantLabel } from "@/lib/views/tenants";

export function TenantSelector({ tenants, chosen }: { tenants: TenantSummary[]; chosen: string | null }) {
  return (
    <AutoSubmitForm action="/" label="Choose a tenant">
      <label htmlFor="o-tenant" className="mr-2 text-sm font-medium text-slate-700">
        Tenant
      </label>
      <select id="o-tenant" name="tenant" defaultValue={chosen ?? ""} className={`${inputClass} !w-auto pr-8`}>
        <TenantOptions tenants={tenants} />
      </select>
      <noscript>
        <button type="submit" className="ml-2 text-sm underline">
          Show
        </button>
      </noscript>
    </AutoSubmitForm>
  );
}

/** "All tenants", then each tenant by its label: the options of a `tenant=` select. */
export function TenantOptions({ tenants }: { tenants: readonly Pick<TenantSummary, "tenantId" | "displayName">[] }) {
  return (
    <>
      <option value="">All tenants</option>
      {tenants.map((t) => (
        <option key={t.tenantId} value={t.tenantId}>
          {tenantLabel(t)}
        </option>
      ))}
    </>
  );
}

export function TenantsTable({ tenants, scanId, chosen }: { tenants: TenantSummary[]; scanId: string; chosen: string | null }) {
  return (
    <Table caption="Tenants in the latest scan">
      <thead>
        <tr>
          <Th>Tenant</Th>
          <Th>Score</Th>
          <Th className="text-right">Subscriptions</Th>
          <Th className="text-right">Resources</Th>
          <Th className="text-right">Failing</Th>
          <Th className="text-right">Unknown</Th>
          <Th>
            <span className="sr-only">Report</span>
          </Th>
        </tr>
      </thead>
      <tbody>
        {tenants.map((t) => (
          <tr key={t.tenantId} className={t.tenantId === chosen ? "bg-blue-50" : "hover:bg-slate-50"} data-tenant={t.tenantId}>
            <Td>
              <Link
                href={`/?tenant=${encodeURIComponent(t.tenantId)}`}
                className="font-medium text-slate-900 hover:text-blue-800 hover:underline"
                aria-current={t.tenantId === chosen ? "page" : undefined}
              >
                {t.displayName ?? (t.tenantId === "unknown" ? "Tenant not recorded" : t.tenantId)}
              </Link>
              {t.displayName ? <div className="font-mono text-[11px] text-slate-500">{t.tenantId}</div> : null}
            </Td>
            <Td>
              <ScoreCell score={t.score} />
            </Td>
            <Td className="text-right tabular-nums">{count(t.subscriptions)}</Td>
            <Td className="text-right tabular-nums">{count(t.resources)}</Td>
            <Td className="text-right">
              {t.counts.fail > 0 ? (
                <Link
                  href={findingsHref({ tenant: t.tenantId, status: "fail", scan: scanId })}
                  className="font-semibold tabular-nums text-red-800 hover:underline"
                >
                  {count(t.counts.fail)}
                  <span className="sr-only"> failing findings in {tenantLabel(t)}</span>
                </Link>
              ) : (
                <span className="text-slate-500">0</span>
              )}
            </Td>
            <Td className="text-right tabular-nums">{count(t.counts.unknown)}</Td>
            <Td className="text-right">
              {t.tenantId === "unknown" ? null : (
                <a
                  href={`/api/scans/${encodeURIComponent(scanId)}/report.pdf?tenant=${encodeURIComponent(t.tenantId)}`}
                  className="whitespace-nowrap text-xs font-medium text-blue-700 hover:underline"
                >
                  PDF<span className="sr-only"> report of {tenantLabel(t)}</span>
                </a>
              )}
            </Td>
          </tr>
        ))}
      </tbody>
    </Table>
  );
}
