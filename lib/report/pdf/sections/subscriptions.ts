/**
 * Tenant report: every subscription with its score and counts, lowest score first. For an estate
 * (a scan of several tenants) each tenant first, scored on its own, then its subscriptions apart.
 */
import type { Canvas } from "@/lib/report/pdf/canvas";
import type { ReportContext } from "@/lib/report/pdf/context";
import { compareNames, formatCount, formatScore } from "@/lib/report/pdf/format";
import { COLOR, SIZE } from "@/lib/report/pdf/theme";
import type { ReportSubscription, ReportTenant } from "@/lib/report/model";
import { idKey } from "@/lib/posture/ids";

export function drawSubscriptions(canvas: Canvas, ctx: ReportContext, number: number): void {
  const tenants = ctx.input.tenants ?? [];
  if (tenants.length < 2) {
    canvas.h1(`${number}. Subscriptions`);
    drawSubscriptionTable(canvas, ctx.result.subscriptions);
    return;
  }
  const root = canvas.h1(`${number}. Tenants and subscriptions`);
  canvas.para(
    `This scan covers ${formatCount(tenants.length)} tenants. Each is scored on its own findings by the same rule as the whole; ` +
      "a subscription delegated through Azure Lighthouse is listed under its own (customer's) tenant.",
    { size: SIZE.small, color: COLOR.muted, after: 6 },
  );
  canvas.table(
    [
      { title: "Tenant", width: 120, maxLines: 2 },
      { title: "Tenant ID", width: 150, face: "mono", maxLines: 2 },
      { title: "Subs", width: 30, align: "right" },
      { title: "Resources", width: 45, align: "right" },
      { title: "Score", width: 32, align: "right" },
      { title: "Fail", width: 32, align: "right" },
      { title: "Unknown", width: 46, align: "right" },
      { title: "Pass", width: 32, align: "right" },
    ],
    sortTenants(tenants).map((t) => [
      { text: t.displayName ?? "—", face: "bold" as const },
      t.tenantId,
      formatCount(t.subscriptionIds.length),
      formatCount(t.resources),
      { text: formatScore(t.score), face: "bold" as const },
      { text: formatCount(t.counts.fail), color: t.counts.fail > 0 ? COLOR.fail : undefined },
      formatCount(t.counts.unknown),
      formatCount(t.counts.pass),
    ]),
    { size: SIZE.tiny, zebra: true },
  );
  const byKey = new Map(ctx.result.subscriptions.map((s) => [idKey(s.subscriptionId), s]));
  for (const t of sortTenants(tenants)) {
    canvas.h2(`Tenant ${t.displayName ? `${t.displayName} (${t.tenantId})` : t.tenantId} · score ${formatScore(t.score)}`, {
      bookmark: { parent: root, level: 2 },
      keepWith: 60,
    });
    drawSubscriptionTable(
      canvas,
      t.subscriptionIds.map((id) => byKey.get(idKey(id))).filter((s): s is ReportSubscription => s !== undefined),
    );
  }
}

/** Lowest score first, as the subscriptions are; nothing to judge last. */
function sortTenants(tenants: readonly ReportTenant[]): ReportTenant[] {
  return [...tenants].sort((a, b) => (a.score ?? 101) - (b.score ?? 101) || compareNames(a.displayName, b.displayName) || a.tenantId.localeCompare(b.tenantId));
}

function drawSubscriptionTable(canvas: Canvas, list: readonly ReportSubscription[]): void {
  const subs = [...list].sort(
    (a, b) => (a.score ?? 101) - (b.score ?? 101) || compareNames(a.displayName, b.displayName) || a.subscriptionId.localeCompare(b.subscriptionId),
  );
  canvas.para(
    `${formatCount(subs.length)} ${subs.length === 1 ? "subscription" : "subscriptions, lowest score first"}. A subscription with nothing to judge has no score (n/a). ` +
      "Each subscription's own report draws every resource's encryption chain with the evidence behind each failure.",
    { size: SIZE.small, color: COLOR.muted, after: 6 },
  );
  canvas.table(
    [
      { title: "Subscription", width: 130, maxLines: 2 },
      { title: "Subscription ID", width: 150, face: "mono", maxLines: 2 },
      { title: "Resources", width: 45, align: "right" },
      { title: "Score", width: 32, align: "right" },
      { title: "Pass", width: 32, align: "right" },
      { title: "Fail", width: 32, align: "right" },
      { title: "Unknown", width: 46, align: "right" },
      { title: "N/A", width: 28, align: "right" },
    ],
    subs.map((s) => [
      { text: s.displayName ?? "—", face: "bold" as const },
      s.subscriptionId,
      formatCount(s.resources ?? 0),
      { text: formatScore(s.score), face: "bold" as const },
      formatCount(s.counts?.pass ?? 0),
      { text: formatCount(s.counts?.fail ?? 0), color: (s.counts?.fail ?? 0) > 0 ? COLOR.fail : undefined },
      formatCount(s.counts?.unknown ?? 0),
      formatCount(s.counts?.not_applicable ?? 0),
    ]),
    { size: SIZE.tiny, zebra: true },
  );
}
