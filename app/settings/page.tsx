/** Settings (Admins): when scans run by themselves, what they read, and how many are kept. */
import type { Metadata } from "next";
import { Cron } from "croner";
import Link from "next/link";
import { buttonSecondary } from "@/components/ui/buttons";
import { PageHeader, Panel } from "@/components/ui/layout";
import { PageReady } from "@/components/shell/page-ready";
import { SettingsForm } from "@/components/settings/settings-form";
import { TargetsPanel } from "@/components/settings/targets-panel";
import { AccessCheckPanel } from "@/components/settings/access-check-panel";
import { listTargets } from "@/lib/store/targets";
import { getSettings } from "@/lib/store/settings";
import { dateTime } from "@/lib/views/format";
import { uiStore } from "@/lib/views/server-store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Settings" };

/** The next few times the schedule fires (empty for none, or for an expression that never fires). */
function nextRuns(expr: string | null, n: number): Date[] {
  if (!expr) return [];
  const cron = new Cron(expr, { timezone: "UTC", paused: true });
  try {
    return cron.nextRuns(n);
  } finally {
    cron.stop();
  }
}

export default async function SettingsPage() {
  const store = await uiStore();
  const [settings, stored] = await Promise.all([getSettings(store), listTargets(store)]);
  // Only the target itself goes to the browser (references, never secrets), not who changed it when.
  const targets = stored.map(({ tenantId, displayName, credential, scope, exclude }) => ({ tenantId, displayName, credential, scope, exclude }));
  const runs = nextRuns(settings.scheduleCron, 3);
  return (
    <>
      <PageHeader
        title="Settings"
        description="Shared by every dashboard instance on this database. Each change is recorded in the audit trail."
        actions={
          <Link href="/settings/alerts" className={buttonSecondary}>
            Alerts
          </Link>
        }
      />
      <div className="grid items-start gap-6 lg:grid-cols-[1fr_18rem]">
        <Panel title="Scans" id="scan-settings" bodyClassName="">
          <SettingsForm settings={settings} />
        </Panel>
        <Panel title="Next scheduled scans" id="next-runs">
          {runs.length ? (
            <ul className="space-y-1 text-sm" data-testid="next-runs">
              {runs.map((d) => (
                <li key={d.toISOString()}>{dateTime(d.toISOString())}</li>
              ))}
            </ul>
          ) : (
            <p className="text-sm text-slate-600" data-testid="next-runs">
              {settings.scheduleCron ? "This schedule never fires." : "No schedule: scans run only when someone starts one."}
            </p>
          )}
        </Panel>
      </div>
      <div className="mt-6">
        <Panel title="Scan targets" id="scan-targets" bodyClassName="">
          <TargetsPanel targets={targets} />
        </Panel>
      </div>
      <div className="mt-6">
        <Panel
          title="Access of the scanning identity"
          id="access-check"
          description="Before a first scan, or when controls come out unknown: which subscriptions it sees, and which role each gap needs."
        >
          <AccessCheckPanel />
        </Panel>
      </div>
      <PageReady />
    </>
  );
}
