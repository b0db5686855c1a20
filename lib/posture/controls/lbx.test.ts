import { describe, expect, it } from "vitest";
import { prepareAccount } from "@/lib/posture/account";
import { buildIndexes } from "@/lib/posture/indexes";
import type { Outcome } from "@/lib/posture/types";
import { account, hardened, judge, linking, OTHER_SUB, snapshot, storage, storageId, type SnapshotParts } from "@/lib/posture/testing/fixtures";
import { byos1, byos2 } from "./byos";
import { cmk2, cmk3 } from "./cmk";
import { outcomeOf } from "./common";
import { iam2 } from "./iam";
import { lbx1 } from "./lbx";
import { net3 } from "./net";

const ST = storageId("stspeechprod01");

/** The hardened setup with the linked storage document replaced. */
function withStorage(props: Record<string, unknown> | null): SnapshotParts {
  const parts = hardened();
  const resources = parts.resources.filter((d) => d.id !== ST);
  if (props) resources.push(storage("stspeechprod01", props));
  return { ...parts, resources };
}

describe("LBX-1 Lockbox-equivalent control", () => {
  it("passes when BYOS-1, BYOS-2, CMK-2, CMK-3, IAM-2 and NET-3 all pass", () => {
    expect(judge("LBX-1", hardened()).status).toBe("pass");
  });

  it("fails without BYOS and lists the failing control", () => {
    const f = judge("LBX-1", { resources: [account()] });
    expect(f.status).toBe("fail");
    expect(f.message).toContain("Speech does not support Customer Lockbox");
    expect(f.message).toContain("BYOS-1 (customer-owned storage) fails");
  });

  it("lists every failing part", () => {
    const f = judge("LBX-1", withStorage({ allowSharedKeyAccess: true, publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }));
    expect(f.status).toBe("fail");
    expect(f.message).toContain("IAM-2 (storage refuses shared keys) and NET-3 (storage closed to public networks) fail");
  });

  it("names the resource and what fails first, before the explanation", () => {
    const f = judge("LBX-1", withStorage({ allowSharedKeyAccess: true, publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }));
    expect(f.message).toMatch(/^speech-prod-01: IAM-2 \(storage refuses shared keys\) and NET-3 \(storage closed to public networks\) fail, so it lacks/);
    expect(f.message.indexOf("Customer Lockbox")).toBeGreaterThan(f.message.indexOf("NET-3"));
  });

  it("is unknown with the reason of the first unknown part when none fails", () => {
    const parts = hardened();
    const elsewhere = storageId("stspeechprod01", OTHER_SUB);
    const resources = parts.resources.map((d) =>
      d.type === "Microsoft.CognitiveServices/accounts" ? account({ ...(d.properties as object), ...linking(elsewhere) }) : d,
    );
    const f = judge("LBX-1", { ...parts, resources });
    expect(f).toMatchObject({ status: "unknown", reason: "not_visible" });
    expect(f.message).toContain("could not be checked");
  });

  it("fails rather than stays unknown when one part fails and another is unknown", () => {
    const parts = withStorage(null);
    parts.resources = parts.resources.map((d) =>
      d.type === "Microsoft.KeyVault/vaults" ? { ...d, properties: { ...(d.properties as object), enablePurgeProtection: false } } : d,
    );
    const f = judge("LBX-1", parts);
    expect(f.status).toBe("fail");
    expect(f.message).toContain("CMK-3");
  });

  it("takes the reason from the first unknown in catalogue order", () => {
    const ix = buildIndexes(snapshot(hardened()));
    const view = prepareAccount(ix.accounts[0], ix);
    // Replace a part's memoised outcome, as if the snapshot had produced it.
    const preset = (control: typeof byos1, outcome: Outcome) => {
      view.memo[view.memo.indexOf(outcomeOf(control, view, ix))] = outcome;
    };
    preset(cmk2, { status: "unknown", reason: "access_denied", message: "", evidence: [] });
    preset(net3, { status: "unknown", reason: "network_blocked", message: "", evidence: [] });
    const outcome = lbx1.evaluate(view, ix);
    expect(outcome).toMatchObject({ status: "unknown", reason: "access_denied" });
    expect(outcome.evidence.map((e) => e.actual)).toEqual(["pass", "pass", "unknown", "pass", "pass", "unknown"]);
  });

  it("never passes when a part is not applicable without failing (defensive)", () => {
    const ix = buildIndexes(snapshot(hardened()));
    const view = prepareAccount(ix.accounts[0], ix);
    for (const c of [byos1, byos2, cmk2, cmk3, iam2, net3]) outcomeOf(c, view, ix);
    view.memo[view.memo.indexOf(outcomeOf(cmk3, view, ix))] = { status: "not_applicable", message: "", evidence: [] };
    expect(lbx1.evaluate(view, ix).status).toBe("not_applicable");
  });
});
