import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, account, argAccount, judge, linking, RG, storage, storageId } from "@/lib/posture/testing/fixtures";

const ST = storageId("stspeech01");
const pec = (status: string, name = "pe-speech") => ({
  id: `${ACCOUNT_ID}/privateEndpointConnections/${name}.1`,
  name: `${name}.1`,
  properties: {
    privateEndpoint: { id: `${RG}/providers/Microsoft.Network/privateEndpoints/${name}` },
    privateLinkServiceConnectionState: { status, description: "", actionsRequired: "None" },
    groupIds: ["account"],
  },
});

describe("NET-1 resource public network access", () => {
  it.each([
    ["publicNetworkAccess Disabled", { publicNetworkAccess: "Disabled" }, "pass"],
    ["publicNetworkAccess disabled (any casing)", { publicNetworkAccess: "disabled" }, "pass"],
    ["defaultAction Deny with public access Enabled", { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny" } }, "pass"],
    ["defaultAction deny, lower case", { networkAcls: { defaultAction: "deny" } }, "pass"],
    ["publicNetworkAccess absent (means Enabled)", {}, "fail"],
    ["Enabled and Allow", { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }, "fail"],
    ["blank publicNetworkAccess", { publicNetworkAccess: " " }, "fail"],
  ])("%s → %s", (_, props, status) => {
    expect(judge("NET-1", { resources: [account(props)] }).status).toBe(status);
  });

  it("shows the IP and virtual-network rules that remain open", () => {
    const acls = {
      defaultAction: "Deny",
      ipRules: [{ value: "203.0.113.0/24" }, { value: "198.51.100.7" }],
      virtualNetworkRules: [{ id: `${RG}/providers/Microsoft.Network/virtualNetworks/vnet/subnets/apps`, ignoreMissingVnetServiceEndpoint: false }],
    };
    const f = judge("NET-1", { resources: [account({ publicNetworkAccess: "Enabled", networkAcls: acls })] });
    expect(f.status).toBe("pass");
    expect(f.message).toContain("still open to IP rules 203.0.113.0/24 and 198.51.100.7 and 1 virtual-network rule (apps)");
    expect(f.evidence).toContainEqual({
      path: `account:${ACCOUNT_ID} properties.networkAcls.ipRules[*].value`,
      actual: ["203.0.113.0/24", "198.51.100.7"],
      expected: "only networks that must reach it",
    });
  });

  it("records null for an absent publicNetworkAccess in the evidence", () => {
    const f = judge("NET-1", { resources: [argAccount()] });
    expect(f.evidence[0]).toEqual({ path: `account:${ACCOUNT_ID} properties.publicNetworkAccess`, actual: null, expected: "Disabled" });
    expect(f.message).toContain("an absent publicNetworkAccess means Enabled");
  });
});

describe("NET-2 approved private endpoint", () => {
  it.each([
    ["an Approved connection", [pec("Approved")], "pass"],
    ["approved in lower case", [pec("approved")], "pass"],
    ["Pending only", [pec("Pending")], "fail"],
    ["Rejected and Approved", [pec("Rejected", "pe-old"), pec("Approved")], "pass"],
    ["no connections", [], "fail"],
    ["no property at all", undefined, "fail"],
  ])("%s → %s", (_, connections, status) => {
    expect(judge("NET-2", { resources: [account({ privateEndpointConnections: connections })] }).status).toBe(status);
  });

  it("names the endpoints", () => {
    expect(judge("NET-2", { resources: [account({ privateEndpointConnections: [pec("Approved")] })] }).message).toContain(
      "approved private endpoint pe-speech",
    );
    expect(judge("NET-2", { resources: [account({ privateEndpointConnections: [pec("Pending")] })] }).message).toContain("pe-speech is Pending");
  });
});

describe("NET-3 linked storage public network access", () => {
  it.each([
    ["no BYOS", [account()], "not_applicable", null],
    ["not visible", [account(linking(ST))], "unknown", "not_visible"],
    ["public access Disabled", [account(linking(ST)), storage("stspeech01")], "pass", null],
    [
      "Enabled but default Deny",
      [account(linking(ST)), storage("stspeech01", { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Deny" } })],
      "pass",
      null,
    ],
    [
      "SecuredByPerimeter with Allow",
      [account(linking(ST)), storage("stspeech01", { publicNetworkAccess: "SecuredByPerimeter", networkAcls: { defaultAction: "Allow" } })],
      "fail",
      null,
    ],
    [
      "open to all networks",
      [account(linking(ST)), storage("stspeech01", { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } })],
      "fail",
      null,
    ],
    ["nothing set", [account(linking(ST)), storage("stspeech01", { publicNetworkAccess: undefined, networkAcls: undefined })], "fail", null],
  ])("%s → %s", (_, resources, status, reason) => {
    expect(judge("NET-3", { resources })).toMatchObject({ status, reason });
  });

  it("notes that custom neural voice is a reason for an exception, not a pass", () => {
    const open = storage("stspeech01", { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } });
    const f = judge("NET-3", { resources: [account(linking(ST)), open] });
    expect(f.message).toContain("Linked storage account stspeech01 accepts traffic from all public networks");
    expect(f.message).toContain("Custom neural voice needs the storage firewall open");
    expect(f.evidence).toContainEqual({ path: `storage:${ST} properties.networkAcls.defaultAction`, actual: "Allow", expected: "Deny" });
  });
});

describe("NET-4 outbound restriction", () => {
  it.each([
    [true, "pass"],
    [false, "fail"],
    [undefined, "fail"],
    [null, "fail"],
  ])("restrictOutboundNetworkAccess %s → %s", (value, status) => {
    expect(judge("NET-4", { resources: [account({ restrictOutboundNetworkAccess: value })] }).status).toBe(status);
  });
});
