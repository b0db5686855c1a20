/** Alerts (Admins): where alerts go, which events raise them, and every delivery attempt. */
import type { Metadata } from "next";
import Link from "next/link";
import { PageHeader, Panel, EmptyState } from "@/components/ui/layout";
import { PageReady } from "@/components/shell/page-ready";
import { Table, Td, Th } from "@/components/ui/table";
import { linkClass } from "@/components/ui/buttons";
import { AlertSettingsForm, DestinationActions, DestinationForm, RemoveRuleButton, RuleForm } from "@/components/alerts/alert-forms";
import { describeCondition } from "@/lib/alerts/rules";
import { listDeliveries } from "@/lib/store/alerts/deliveries";
import { listDestinations } from "@/lib/store/alerts/destinations";
import { listAlertRules } from "@/lib/store/alerts/rules";
import { getSettings } from "@/lib/store/settings";
import { dateTime } from "@/lib/views/format";
import { uiStore } from "@/lib/views/server-store";

export const dynamic = "force-dynamic";
export const metadata: Metadata = { title: "Alerts" };

const KIND_WORDS: Record<string, string> = { webhook: "Webhook", teams: "Microsoft Teams", slack: "Slack" };
const OUTCOME_TONE: Record<string, string> = { delivered: "text-emerald-800", failed: "text-red-700", refused: "text-red-700", timeout: "text-amber-800" };

export default async function AlertsPage() {
  const store = await uiStore();
  const [settings, destinations, rules, deliveries] = await Promise.all([
    getSettings(store),
    listDestinations(store),
    listAlertRules(store),
    listDeliveries(store, { limit: 50 }),
  ]);
  const names = new Map(destinations.map((d) => [d.id, d.name]));
  return (
    <>
      <PageHeader
        title="Alerts"
        breadcrumbs={[{ href: "/settings", label: "Settings" }]}
        description="Hear about a regression when it happens: after every scan, and daily for exceptions about to expire. Each event is sent once to each destination; every change here is in the audit trail."
      />
      <div className="space-y-6">
        <Panel title="Destinations" id="alert-destinations" bodyClassName="">
          {destinations.length ? (
            <Table caption="Alert destinations">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>Kind</Th>
                  <Th>URL</Th>
                  <Th>Signing secret</Th>
                  <Th>Added</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {destinations.map((d) => (
                  <tr key={d.id} data-testid="destination-row">
                    <Td className="font-medium text-slate-900">{d.name}</Td>
                    <Td>{KIND_WORDS[d.kind] ?? d.kind}</Td>
                    <Td className="font-mono text-xs">{d.maskedUrl}</Td>
                    <Td>{d.kind === "webhook" ? (d.hasSecret ? "set (hidden)" : "none") : "—"}</Td>
                    <Td className="whitespace-nowrap text-xs text-slate-600">
                      {dateTime(d.createdAt)} by {d.createdBy}
                    </Td>
                    <Td>
                      <DestinationActions id={d.id} name={d.name} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <div className="p-4">
              <EmptyState title="No destinations yet">Add a webhook, a Teams channel or a Slack channel below.</EmptyState>
            </div>
          )}
          <div className="border-t border-slate-200 p-4">
            <h3 className="mb-3 text-sm font-semibold text-slate-900">Add a destination</h3>
            <DestinationForm />
          </div>
        </Panel>

        <Panel title="Rules" id="alert-rules" bodyClassName="">
          {rules.length ? (
            <Table caption="Alert rules">
              <thead>
                <tr>
                  <Th>Name</Th>
                  <Th>When</Th>
                  <Th>Sent to</Th>
                  <Th>
                    <span className="sr-only">Actions</span>
                  </Th>
                </tr>
              </thead>
              <tbody>
                {rules.map((r) => (
                  <tr key={r.id} data-testid="rule-row">
                    <Td className="font-medium text-slate-900">{r.name}</Td>
                    <Td>{describeCondition(r.condition)}</Td>
                    <Td>{r.destinationIds.map((id) => names.get(id) ?? id).join(", ")}</Td>
                    <Td>
                      <RemoveRuleButton id={r.id} name={r.name} />
                    </Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <div className="p-4">
              <EmptyState title="No rules yet">A rule says which events raise an alert and where it goes.</EmptyState>
            </div>
          )}
          <div className="border-t border-slate-200 p-4">
            <h3 className="mb-3 text-sm font-semibold text-slate-900">Add a rule</h3>
            <RuleForm destinations={destinations.map((d) => ({ id: d.id, name: d.name }))} />
          </div>
        </Panel>

        <Panel
          title="Delivery log"
          id="alert-deliveries"
          description="The newest 50 attempts; all of them through the API (/api/alerts/deliveries)."
          bodyClassName=""
        >
          {deliveries.length ? (
            <Table caption="Alert delivery attempts">
              <thead>
                <tr>
                  <Th>When</Th>
                  <Th>Alert</Th>
                  <Th>Destination</Th>
                  <Th>Attempt</Th>
                  <Th>Outcome</Th>
                  <Th>Detail</Th>
                </tr>
              </thead>
              <tbody>
                {deliveries.map((d) => (
                  <tr key={d.id} data-testid="delivery-row">
                    <Td className="whitespace-nowrap text-xs text-slate-600">{dateTime(d.at)}</Td>
                    <Td>
                      {d.title}
                      {d.ruleName ? <div className="text-xs text-slate-500">{d.ruleName}</div> : null}
                    </Td>
                    <Td>{d.destinationName}</Td>
                    <Td>{d.attempt}</Td>
                    <Td className={`font-medium ${OUTCOME_TONE[d.outcome] ?? ""}`}>
                      {d.outcome}
                      {d.httpStatus !== null ? ` (HTTP ${d.httpStatus})` : ""}
                      {d.willRetry ? <div className="text-xs font-normal text-slate-500">will retry</div> : null}
                    </Td>
                    <Td className="max-w-md break-words text-xs text-slate-600">{d.error ?? `${d.durationMs} ms`}</Td>
                  </tr>
                ))}
              </tbody>
            </Table>
          ) : (
            <p className="p-4 text-sm text-slate-600">Nothing sent yet.</p>
          )}
        </Panel>

        <Panel title="Alert settings" id="alert-settings">
          <AlertSettingsForm publicBaseUrl={settings.publicBaseUrl} alertPrivateNetworks={settings.alertPrivateNetworks} />
          {!settings.publicBaseUrl ? (
            <p className="mt-3 text-sm text-amber-800">
              No public address is set: messages cannot link to the findings.{" "}
              <Link href="#a-base" className={linkClass}>
                Set it
              </Link>
              .
            </p>
          ) : null}
        </Panel>
      </div>
      <PageReady />
    </>
  );
}
