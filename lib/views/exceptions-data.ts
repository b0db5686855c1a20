/** The exceptions page: active, expired and removed exceptions with readable scopes. */
import { CATALOG } from "@/lib/posture/controls";
import { listExceptions, type StoredException } from "@/lib/store/exceptions";
import { latestSucceededScan } from "@/lib/store/scans/scans";
import type { Store } from "@/lib/store/store";
import { scanSubscriptions } from "@/lib/store/reads";
import { latestAllowedExpiryDate } from "@/lib/store/exceptions";
import { getSettings } from "@/lib/store/settings";
import { scanTenants, UNKNOWN_TENANT } from "@/lib/store/tenants";
import { tenantLabel } from "./tenants";

export interface ExceptionView extends StoredException {
  scopeWords: { label: string; value: string; href?: string }[];
}

export interface ExceptionsData {
  active: ExceptionView[];
  expired: ExceptionView[];
  removed: ExceptionView[];
  now: Date;
  /** yyyy-mm-dd: the latest expiry an Admin allows today, if they set a maximum. */
  maxExpiry?: string;
  controls: { id: string; title: string }[];
  /** The latest scan's tenants, when it covers more than one: a tenant can then be an exception's scope. */
  tenants: { id: string; title: string }[];
}

export async function loadExceptions(store: Store): Promise<ExceptionsData> {
  const [list, latest, settings] = await Promise.all([listExceptions(store), latestSucceededScan(store), getSettings(store)]);
  const subs = latest ? await scanSubscriptions(store, latest.id) : [];
  const subName = new Map(subs.map((s) => [s.key, s.displayName ?? s.subscriptionId]));
  const tenants = latest ? (await scanTenants(store, latest.id)).filter((t) => t.tenantId !== UNKNOWN_TENANT) : [];
  const tenantName = new Map(tenants.map((t) => [t.tenantId, tenantLabel(t)]));
  const title = new Map(CATALOG.map((c) => [c.id.toLowerCase(), c.title]));
  const view = (e: StoredException): ExceptionView => {
    const scopeWords: ExceptionView["scopeWords"] = [];
    if (e.controlId)
      scopeWords.push({ label: "Control", value: `${e.controlId} · ${title.get(e.controlId.toLowerCase()) ?? ""}`, href: `/controls#${e.controlId}` });
    if (e.subscriptionId)
      scopeWords.push({
        label: "Subscription",
        value: subName.get(e.subscriptionId.toLowerCase()) ?? e.subscriptionId,
        href: `/subscriptions/${encodeURIComponent(e.subscriptionId)}`,
      });
    if (e.resourceId) {
      const path = e.resourceId.split("/").filter(Boolean).map(encodeURIComponent).join("/");
      scopeWords.push({ label: "Resource", value: e.resourceId.split("/").filter(Boolean).pop() ?? e.resourceId, href: `/resources/${path}` });
    }
    if (e.tenantId) scopeWords.push({ label: "Tenant", value: tenantName.get(e.tenantId) ?? e.tenantId, href: `/?tenant=${e.tenantId}` });
    if (e.tag) scopeWords.push({ label: "Tag", value: `${e.tag.name} = ${e.tag.value}` });
    return { ...e, scopeWords };
  };
  const now = store.now();
  return {
    active: list.active.map(view),
    expired: list.expired.map(view),
    removed: list.removed.map(view),
    now,
    ...(settings.exceptionMaxDays !== null ? { maxExpiry: latestAllowedExpiryDate(now, settings.exceptionMaxDays) } : {}),
    controls: CATALOG.map((c) => ({ id: c.id, title: c.title })),
    tenants: tenants.length > 1 ? tenants.map((t) => ({ id: t.tenantId, title: tenantLabel(t) })) : [],
  };
}
