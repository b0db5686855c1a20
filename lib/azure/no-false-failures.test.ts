/**
 * Issue 13's end-to-end promise, through the real SDK clients against the emulator: a scanner that
 * reads only the Speech resources' resource groups (Reader scoped there, as many real deployments
 * grant it), on a tenant with management-group role grants and network security perimeters, reports
 * no failure that a scanner reading everything would not also report. What it cannot see comes out
 * unknown, with the reason, never as a failed control.
 */
import { describe, expect, it } from "vitest";
import { startEmulator } from "@/emulator/server";
import { generateTenant } from "@/emulator/tenant";
import { evaluateSnapshot } from "@/lib/posture/evaluate";
import { idKey, resourceGroupOf, subscriptionOf } from "@/lib/posture/ids";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import type { Finding } from "@/lib/posture/types";
import { collect } from "./collect";
import { emulatorTarget } from "./target";

const fastRetry = { maxRetries: 2, retryDelayInMs: 5, maxRetryDelayInMs: 20 };
const key = (f: Finding) => `${f.controlId} ${idKey(f.resourceId)}`;

describe("a resource-group-scoped Reader", () => {
  it("gets no false failure: every control it fails also fails with full read access", async () => {
    const tenant = generateTenant({ seed: 42, subscriptions: 6, accounts: 40 });
    const groups = new Set<string>();
    for (const r of tenant.resources) {
      if (!isSpeechAccount(r)) continue;
      const sub = subscriptionOf(r.id);
      const rg = resourceGroupOf(r.id);
      if (sub && rg) groups.add(`/subscriptions/${sub}/resourceGroups/${rg}`);
    }
    const caller = "rg-reader";
    const emu = await startEmulator({ port: 0, quota: false, tenant, principals: { [`emulator-${caller}`]: [...groups] } });
    try {
      const full = evaluateSnapshot((await collect(emulatorTarget({ url: emu.url, ca: emu.ca, retryOptions: fastRetry }))).snapshot).findings;
      const partialSnapshot = (await collect(emulatorTarget({ url: emu.url, ca: emu.ca, caller, retryOptions: fastRetry }))).snapshot;
      const partial = evaluateSnapshot(partialSnapshot).findings;

      const fullByKey = new Map(full.map((f) => [key(f), f]));
      const falseFailures = partial.filter((f) => f.status === "fail" && fullByKey.get(key(f))?.status !== "fail").map((f) => `${key(f)}: ${f.message}`);
      expect(falseFailures).toEqual([]);

      // The test means something: the narrow reader really saw less, and said so as unknowns.
      const hidden = partial.filter((f) => f.status === "unknown" && f.reason === "access_denied" && fullByKey.get(key(f))?.status !== "unknown");
      expect(hidden.length).toBeGreaterThan(0);
      // And the tenant holds what the issue names: a grant at a management group, perimeters that decide NET-1.
      expect(full.some((f) => f.controlId === "BYOS-3" && f.status === "pass" && f.evidence.some((e) => /managementgroups/i.test(String(e.actual))))).toBe(
        true,
      );
      expect(full.some((f) => f.controlId === "NET-1" && f.status === "pass" && f.evidence.some((e) => /accessMode/.test(e.path)))).toBe(true);
    } finally {
      await emu.close();
    }
  });
});
