/**
 * Collecting scan targets across several tenants through the real SDK clients against the emulator:
 * each target signs in to its own tenant, each subscription carries its own tenantId (a Lighthouse
 * delegated one its customer's), management-group scopes and exclusions narrow what is scanned, and
 * a token of one tenant gets nothing from another tenant's subscriptions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { generateEstate, LIGHTHOUSE_CLIENT_ID, type Estate } from "@/emulator/estate";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { mergeSnapshots } from "@/lib/posture/merge-snapshots";
import { parseTarget, type ScanTarget } from "@/lib/posture/targets";
import { collectTarget } from "./collect-target";
import { emulatorTargetFor } from "./target-credential";

const fastRetry = { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 };
let emu: RunningEmulator;
let estate: Estate;
const lower = (s: string) => s.toLowerCase();
const visible = (t: Estate["home"]) => t.subscriptions.filter((s) => s.visible).map((s) => lower(s.subscriptionId));
const sorted = (xs: string[]) => xs.map(lower).sort();
const speechIn = (t: Estate["home"], subs: string[]) => t.resources.filter((r) => isSpeechAccount(r) && subs.includes(lower(r.id.split("/")[2])));

beforeAll(async () => {
  estate = generateEstate(2, { subscriptions: 3, accounts: 10 });
  emu = await startEmulator({ tenant: estate.home, otherTenants: estate.others, delegations: estate.delegations, quota: false });
});
afterAll(() => emu?.close());

function target(t: Estate["home"], extra: Partial<Record<string, unknown>> = {}, clientId?: string): ScanTarget {
  return parseTarget({
    tenantId: t.tenantId,
    displayName: `Tenant ${t.seed}`,
    credential: clientId ? { kind: "client-secret", clientId, secretEnv: "UNUSED_ON_THE_EMULATOR" } : { kind: "azure-cli" },
    ...extra,
  });
}

async function run(t: ScanTarget) {
  return (await collectTarget(t, { ...emulatorTargetFor(t, emu), retryOptions: fastRetry })).snapshot;
}

describe("collecting scan targets across tenants", () => {
  it("the managing tenant's Lighthouse principal collects its own subscriptions and the delegated one, each under its own tenant", async () => {
    const snap = await run(target(estate.home, {}, LIGHTHOUSE_CLIENT_ID));
    const delegated = lower(estate.delegations[0].subscriptionId);
    expect(snap.tenantId).toBe(estate.home.tenantId);
    expect(sorted(snap.subscriptions.map((s) => s.subscriptionId))).toEqual(sorted([...visible(estate.home), delegated]));
    for (const s of snap.subscriptions) expect(s.tenantId).toBe(lower(s.subscriptionId) === delegated ? estate.others[0].tenantId : estate.home.tenantId);
    // The delegated subscription's accounts are collected in full: details read, nothing refused.
    const theirs = speechIn(estate.others[0], [delegated]);
    expect(theirs.length).toBeGreaterThan(0);
    for (const a of theirs) expect(snap.diagnosticSettings[a.id], a.id).toBeDefined();
    expect(snap.errors.filter((e) => e.code === "InvalidAuthenticationTokenTenant")).toEqual([]);
  });

  it("the customer's own target sees its whole tenant; merged with the managing tenant's, the shared subscription counts once", async () => {
    const customer = await run(target(estate.others[0]));
    expect(sorted(customer.subscriptions.map((s) => s.subscriptionId))).toEqual(sorted(visible(estate.others[0])));
    for (const s of customer.subscriptions) expect(s.tenantId).toBe(estate.others[0].tenantId);
    const managing = await run(target(estate.home, {}, LIGHTHOUSE_CLIENT_ID));
    const estateSnap = mergeSnapshots([managing, customer]);
    expect(estateSnap.tenantId).toBeUndefined();
    expect(sorted(estateSnap.subscriptions.map((s) => s.subscriptionId))).toEqual(sorted([...visible(estate.home), ...visible(estate.others[0])]));
    const accounts = estateSnap.resources.filter(isSpeechAccount);
    expect(new Set(accounts.map((a) => lower(a.id))).size).toBe(accounts.length);
    expect(accounts.length).toBe(speechIn(estate.home, visible(estate.home)).length + speechIn(estate.others[0], visible(estate.others[0])).length);
  });

  it("a management-group scope collects only the subscriptions below that group of the target's own tenant", async () => {
    const home = estate.home;
    const group = home.subscriptions.find((s) => s.visible && s.managementGroup)!.managementGroup!;
    const below = (g: string): string[] => {
      const children = (home.managementGroups ?? []).filter((m) => m.parent === g).map((m) => m.name);
      return [...home.subscriptions.filter((s) => s.visible && s.managementGroup === g).map((s) => lower(s.subscriptionId)), ...children.flatMap(below)];
    };
    const snap = await run(target(home, { scope: { kind: "managementGroups", managementGroups: [group] } }));
    expect(below(group).length).toBeGreaterThan(0);
    expect(sorted(snap.subscriptions.map((s) => s.subscriptionId))).toEqual(sorted(below(group)));
    expect(snap.subscriptions.every((s) => s.managementGroupAncestors?.includes(group))).toBe(true);
  });

  it("an unknown management group becomes an access_denied error on that group, and the others are still scanned", async () => {
    const snap = await run(target(estate.home, { scope: { kind: "managementGroups", managementGroups: ["mg-does-not-exist", "mg-contoso"] } }));
    expect(sorted(snap.subscriptions.map((s) => s.subscriptionId))).toEqual(sorted(visible(estate.home)));
    expect(snap.errors).toContainEqual(
      expect.objectContaining({
        scope: "/providers/Microsoft.Management/managementGroups/mg-does-not-exist",
        source: "resourceGraph",
        reason: "access_denied",
        code: "AuthorizationFailed",
      }),
    );
  });

  it("excluded subscriptions are neither listed nor scanned", async () => {
    const [skip, ...rest] = visible(estate.home);
    const snap = await run(target(estate.home, { exclude: [skip] }));
    expect(sorted(snap.subscriptions.map((s) => s.subscriptionId))).toEqual(sorted(rest));
    expect(snap.resources.some((r) => lower(r.id).startsWith(`/subscriptions/${skip}/`))).toBe(false);
  });

  it("a listed subscription of another tenant is refused, not collected: recorded as not visible to the identity", async () => {
    const foreign = visible(estate.others[0]).find((s) => s !== lower(estate.delegations[0].subscriptionId))!;
    const own = visible(estate.home)[0];
    const snap = await run(target(estate.home, { scope: { kind: "subscriptions", subscriptions: [own, foreign] } }));
    expect(snap.resources.some((r) => lower(r.id).startsWith(`/subscriptions/${foreign}/`))).toBe(false);
    expect(snap.errors).toContainEqual(expect.objectContaining({ scope: `/subscriptions/${foreign}`, reason: "access_denied", code: "SubscriptionNotFound" }));
    expect(snap.resources.filter(isSpeechAccount).length).toBe(speechIn(estate.home, [own]).length);
  });
});
