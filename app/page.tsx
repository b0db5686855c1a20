import { latestCollection } from "../lib/scan/latest-collection";
import { isSpeechAccount } from "../lib/posture/snapshot";

export const dynamic = "force-dynamic";

export default async function OverviewPage() {
  let result;
  try {
    result = await latestCollection();
  } catch (error) {
    return (
      <section role="alert" className="rounded border border-red-300 bg-red-50 p-4">
        <h1 className="text-lg font-semibold">Collection failed</h1>
        <p className="mt-1 text-sm">{error instanceof Error ? error.message : String(error)}</p>
      </section>
    );
  }
  const { snapshot } = result;
  const accounts = snapshot.resources.filter(isSpeechAccount);
  const bySub = new Map<string, typeof accounts>();
  for (const a of accounts) {
    const key = (a.subscriptionId ?? "").toLowerCase();
    bySub.set(key, [...(bySub.get(key) ?? []), a]);
  }
  return (
    <div className="space-y-8">
      <div>
        <h1 className="text-2xl font-semibold tracking-tight">Tenant overview</h1>
        <p className="mt-1 text-sm text-slate-600">
          Collected {new Date(snapshot.collectedAt).toUTCString()} · {snapshot.subscriptions.length} subscriptions ·{" "}
          {accounts.length} Speech resources · {snapshot.errors.length} collection errors
        </p>
      </div>
      <section aria-labelledby="subs">
        <h2 id="subs" className="mb-2 text-lg font-semibold">Subscriptions</h2>
        <table className="w-full border-collapse overflow-hidden rounded bg-white text-sm shadow-sm">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="px-3 py-2">Subscription</th>
              <th className="px-3 py-2">ID</th>
              <th className="px-3 py-2 text-right">Speech resources</th>
            </tr>
          </thead>
          <tbody>
            {snapshot.subscriptions.map((s) => (
              <tr key={s.subscriptionId} className="border-t border-slate-100">
                <td className="px-3 py-2 font-medium">{s.displayName ?? s.subscriptionId}</td>
                <td className="px-3 py-2 font-mono text-xs text-slate-600">{s.subscriptionId}</td>
                <td className="px-3 py-2 text-right">{bySub.get(s.subscriptionId.toLowerCase())?.length ?? 0}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section aria-labelledby="resources">
        <h2 id="resources" className="mb-2 text-lg font-semibold">Speech resources</h2>
        <table className="w-full border-collapse rounded bg-white text-sm shadow-sm">
          <thead className="bg-slate-100 text-left">
            <tr>
              <th className="px-3 py-2">Name</th>
              <th className="px-3 py-2">Kind</th>
              <th className="px-3 py-2">Location</th>
              <th className="px-3 py-2">Resource group</th>
            </tr>
          </thead>
          <tbody>
            {accounts.map((a) => (
              <tr key={a.id} className="border-t border-slate-100">
                <td className="px-3 py-2 font-medium">{a.name}</td>
                <td className="px-3 py-2">{a.kind}</td>
                <td className="px-3 py-2">{a.location}</td>
                <td className="px-3 py-2">{a.resourceGroup}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
