/**
 * The first-run check through the real SDK clients against the emulator: a tenant-wide Reader has
 * no gap; each missing permission is a gap naming the controls it leaves unknown and the role to grant.
 */
import { describe, expect, it } from "vitest";
import { startEmulator, type RunningEmulator } from "@/emulator/server";
import { generateTenant } from "@/emulator/tenant";
import { isSpeechAccount } from "@/lib/posture/snapshot";
import { runDoctor, type DoctorReport } from "./doctor";
import { emulatorTarget } from "./target";

const fastRetry = { maxRetries: 1, retryDelayInMs: 5, maxRetryDelayInMs: 10 };

async function doctor(opts: Parameters<typeof startEmulator>[0], caller?: string): Promise<{ report: DoctorReport; emu: RunningEmulator }> {
  const emu = await startEmulator({ port: 0, quota: false, ...opts });
  try {
    return { report: await runDoctor(emulatorTarget({ url: emu.url, ca: emu.ca, caller, retryOptions: fastRetry })), emu };
  } finally {
    await emu.close();
  }
}

const check = (r: DoctorReport, id: string) => r.checks.find((c) => c.id === id)!;

describe("speech-posture doctor", () => {
  it("finds no gap for a tenant-wide Reader of the demo tenant, and lists its subscriptions and management groups", async () => {
    const { report, emu } = await doctor({});
    expect(report.checks.filter((c) => c.status === "gap")).toEqual([]);
    expect(report.gaps).toBe(0);
    expect(report.subscriptions.map((s) => s.subscriptionId).sort()).toEqual(
      emu.tenant.subscriptions
        .filter((s) => s.visible)
        .map((s) => s.subscriptionId)
        .sort(),
    );
    expect(report.managementGroups).toContain(emu.tenant.tenantId);
    for (const id of ["roleAssignments", "linkedStorage", "diagnosticSettings"]) expect(check(report, id).status, id).toBe("ok");
  });

  it("reports linked storage hidden from a caller that reads only the Speech resources", async () => {
    const tenant = generateTenant({ seed: 41, subscriptions: 3, accounts: 16 });
    const accounts = tenant.resources.filter(isSpeechAccount).map((a) => a.id);
    const { report } = await doctor({ tenant, principals: { "emulator-accounts-only": accounts } }, "accounts-only");
    const storage = check(report, "linkedStorage");
    expect(storage.status).toBe("gap");
    expect(storage.unknownControls).toEqual(expect.arrayContaining(["BYOS-2", "CMK-2", "IAM-2", "NET-3", "LBX-1"]));
    expect(storage.grant).toMatch(/Reader on the linked storage accounts/);
    expect(report.gaps).toBeGreaterThan(0);
  });

  it("reports diagnostic settings and the Speech data plane refused on the resources", async () => {
    const tenant = generateTenant({ seed: 42, subscriptions: 3, accounts: 16 });
    const accounts = tenant.resources.filter(isSpeechAccount).map((a) => a.id);
    const { report } = await doctor({ tenant, faults: { deny: { resources: accounts } } });
    expect(check(report, "diagnosticSettings")).toMatchObject({ status: "gap", unknownControls: ["LOG-2"] });
    expect(check(report, "speechDataPlane")).toMatchObject({ status: "gap", unknownControls: ["LOG-1"] });
    expect(check(report, "speechDataPlane").grant).toMatch(/Cognitive Services Speech User/);
  });

  it("reports every control unknown when the identity sees no subscription", async () => {
    const { report } = await doctor({ principals: { "emulator-nobody": [] } }, "nobody");
    const subs = check(report, "subscriptions");
    expect(subs.status).toBe("gap");
    expect(subs.unknownControls).toHaveLength(18);
    expect(subs.grant).toMatch(/Reader/);
    expect(check(report, "diagnosticSettings").status).toBe("skipped");
  });
});
