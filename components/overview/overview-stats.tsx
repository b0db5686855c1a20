/**
 * The overview's headline figures: score and its change, coverage, failing checks by severity,
 * resources. With one tenant of an estate chosen, they are that tenant's (Azure's figures stay the estate's).
 */
import Link from "next/link";
import { scoreBand } from "@/components/ui/badges";
import { Stat } from "@/components/ui/layout";
import { count, percent, plural } from "@/lib/views/format";
import { findingsHref } from "@/lib/views/search-params";

import type { OverviewData } from "@/lib/views/overview-data";

export function OverviewStats({ data, sameScope }: { data: OverviewData; sameScope: boolean }) {
  const summary = data.latest!.summary!;
  const one = data.tenant;
  const score = one ? one.score : summary.score;
  const band = scoreBand(score);
  const tenantParam = one ? { tenant: one.tenantId } : {};
  // Over the resources both scans hold: a deleted failing resource does not raise the score.
  const common = data.diff?.scores.tenant;
  const delta = sameScope && common && common.from !== null && common.to !== null ? common.to - common.from : null;
  const cov = one ? { judged: one.counts.pass + one.counts.fail, unknown: one.counts.unknown, notApplicable: one.counts.not_applicable } : data.coverage!;
  const totalFail = one ? one.counts.fail : summary.counts.fail;
  const azure = data.azure;
  return (
    <div className="grid grid-cols-2 gap-4 lg:grid-cols-4">
      <Stat
        label={one ? "Score of this tenant" : data.tenants.length > 1 ? "Estate score (all tenants)" : "Tenant score"}
        tone={band.text}
        value={
          <span data-testid="tenant-score">
            {score === null ? "n/a" : score}
            {score !== null ? <span className="text-base font-normal text-slate-500"> / 100</span> : null}
          </span>
        }
        detail={
          <>
            <span className="block" data-testid="azure-compliance">
              {one && azure?.collected ? "Whole estate: " : null}
              {azure?.collected
                ? azure.score === null
                  ? "Azure's own compliance: no compliant or non-compliant verdict"
                  : `Azure's own compliance: ${azure.score}% (${count(azure.compliant)} of ${count(azure.compliant + azure.nonCompliant)} verdicts compliant)`
                : "Azure's verdicts were not collected"}
            </span>
            {band.label}
            {delta !== null
              ? ` · ${delta > 0 ? "+" : delta < 0 ? "−" : "±"}${Math.abs(delta)} since previous scan${data.diff!.counts.goneResources > 0 || data.diff!.counts.added > 0 ? " (resources in both scans)" : ""}`
              : data.diff && !sameScope
                ? " · previous scan read other subscriptions"
                : ""}
          </>
        }
      />
      <Stat
        label="Coverage"
        value={percent(cov.judged, cov.judged + cov.unknown)}
        detail={
          <>
            {count(cov.unknown)} unknown · {count(cov.notApplicable)} not applicable · {data.subscriptions.scanned} of {data.subscriptions.total} subscriptions
            read
          </>
        }
      />
      <Stat
        label="Failing checks"
        tone={totalFail > 0 ? "text-red-800" : "text-slate-900"}
        value={count(totalFail)}
        detail={
          <span className="flex flex-wrap gap-x-2">
            <Link className="hover:underline" href={findingsHref({ status: "fail", severity: "high", ...tenantParam })}>
              {count(data.failBySeverity[0])} high
            </Link>
            <Link className="hover:underline" href={findingsHref({ status: "fail", severity: "medium", ...tenantParam })}>
              {count(data.failBySeverity[1])} medium
            </Link>
            <Link className="hover:underline" href={findingsHref({ status: "fail", severity: "low", ...tenantParam })}>
              {count(data.failBySeverity[2])} low
            </Link>
            {!one && summary.counts.muted ? <span>· {count(summary.counts.muted)} muted</span> : null}
          </span>
        }
      />
      <Stat label="Speech resources" value={count(one ? one.resources : summary.resources)} detail={`in ${plural(data.subscriptions.total, "subscription")}`} />
      {azure?.collected ? (
        <Link
          href={findingsHref({ agreement: "azure_lenient", muted: "false" })}
          className="col-span-2 block rounded-lg focus-visible:outline focus-visible:outline-2 focus-visible:outline-blue-700 lg:col-span-4"
          data-testid="azure-lenient-tile"
        >
          <Stat
            label={one ? "Azure says compliant — data at risk (whole estate)" : "Azure says compliant — data at risk"}
            tone={azure.lenientUnmuted > 0 ? "text-red-800" : "text-slate-900"}
            value={<span data-testid="azure-lenient-count">{count(azure.lenientUnmuted)}</span>}
            detail="Unmuted findings Azure Policy or Defender for Cloud call compliant while this dashboard fails them. Select to see them and why we differ."
          />
        </Link>
      ) : null}
    </div>
  );
}
