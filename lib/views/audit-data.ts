/**
 * The audit trail page's data: one page of events, newest first, optionally of one action, read
 * through a cursor (`before` = the last ID shown). Bad URL values are dropped with a notice.
 */
import { listAudit, type AuditAction, type AuditEvent } from "@/lib/store/audit";
import type { Store } from "@/lib/store/store";
import { first, type SearchParamsRecord } from "./search-params";

export const AUDIT_PAGE_SIZE = 50;

/** Every action the store records, with the words the page uses for it. */
export const AUDIT_ACTIONS: Record<AuditAction, string> = {
  "scan.started": "Scan started",
  "scan.cancelled": "Scan cancelled",
  "snapshot.imported": "Snapshot imported",
  "exception.created": "Exception created",
  "exception.removed": "Exception removed",
  "exception.updated": "Exception edited",
  "exception.renewed": "Exception renewed",
  "report.exported": "Report or export downloaded",
  "resource.rechecked": "Resource re-checked",
  "access.checked": "Access checked (Settings)",
  "scans.removed": "Old scans removed (retention)",
  "settings.changed": "Settings changed",
  "alert.destination.created": "Alert destination added",
  "alert.destination.removed": "Alert destination removed",
  "alert.rule.created": "Alert rule added",
  "alert.rule.removed": "Alert rule removed",
  "alert.test.sent": "Test alert sent",
  "target.added": "Scan target added",
  "target.changed": "Scan target changed",
  "target.removed": "Scan target removed",
};

export interface AuditView {
  action?: AuditAction;
  before?: number;
  notices: string[];
}

export function parseAuditView(sp: SearchParamsRecord | undefined): AuditView {
  const notices: string[] = [];
  const actionText = first(sp, "action");
  let action: AuditAction | undefined;
  if (actionText !== undefined) {
    if (Object.hasOwn(AUDIT_ACTIONS, actionText)) action = actionText as AuditAction;
    else notices.push(`Ignored “action”: expected one of ${Object.keys(AUDIT_ACTIONS).join(", ")}`);
  }
  const beforeText = first(sp, "before");
  let before: number | undefined;
  if (beforeText !== undefined) {
    if (/^[1-9]\d{0,15}$/.test(beforeText)) before = Number(beforeText);
    else notices.push("Ignored “before”: expected a positive whole number (an event ID)");
  }
  return { action, before, notices };
}

export interface AuditPage {
  items: AuditEvent[];
  /** The cursor for the next (older) page, when there may be one. */
  olderBefore?: number;
}

export async function loadAudit(store: Store, view: AuditView): Promise<AuditPage> {
  const items = await listAudit(store, { action: view.action, beforeId: view.before, limit: AUDIT_PAGE_SIZE });
  return { items, olderBefore: items.length === AUDIT_PAGE_SIZE ? items[items.length - 1].id : undefined };
}
