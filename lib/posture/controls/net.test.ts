import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, account, argAccount, hardened, judge, linking, perimeterAssociation, RG, storage, storageId } from "@/lib/posture/testing/fixtures";

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

const PERIMETER = `${RG}/providers/Microsoft.Network/networkSecurityPerimeters/nsp-speech`;
const OPEN_ACLS = { networkAcls: { defaultAction: "Allow", ipRules: [], virtualNetworkRules: [] } };

describe("NET-1 in a network security perimeter", () => {
  it.each([
    ["SecuredByPerimeter, Enforced", "SecuredByPerimeter", ["Enforced"], "pass", null],
    ["SecuredByPerimeter, enforced (any casing, padded)", "SecuredByPerimeter", [" enforced "], "pass", null],
    ["Enabled, Enforced (the perimeter overrides)", "Enabled", ["Enforced"], "pass", null],
    ["SecuredByPerimeter, Learning then Enforced", "SecuredByPerimeter", ["Learning", "Enforced"], "pass", null],
    ["SecuredByPerimeter, no association visible", "SecuredByPerimeter", [], "unknown", "not_visible"],
    ["securedbyperimeter (any casing), no association visible", " securedbyperimeter ", [], "unknown", "not_visible"],
    ["SecuredByPerimeter, Learning", "SecuredByPerimeter", ["Learning"], "fail", null],
    ["SecuredByPerimeter, Audit", "SecuredByPerimeter", ["Audit"], "fail", null],
    ["SecuredByPerimeter, an association without access mode", "SecuredByPerimeter", [""], "fail", null],
    ["Enabled, Learning", "Enabled", ["Learning"], "fail", null],
    ["Enabled, no association (as in version 1)", "Enabled", [], "fail", null],
  ])("%s → %s", (_, publicNetworkAccess, modes, status, reason) => {
    const associations = modes.map((mode, i) => perimeterAssociation(ACCOUNT_ID, mode, `assoc-${i}`));
    const f = judge("NET-1", { resources: [account({ publicNetworkAccess, ...OPEN_ACLS }), ...associations] });
    expect(f).toMatchObject({ status, reason });
  });

  it("matches the association's resource ID case-insensitively, with a trailing slash ignored", () => {
    const association = perimeterAssociation(`${ACCOUNT_ID.toUpperCase()}/`, "Enforced");
    expect(judge("NET-1", { resources: [account({ publicNetworkAccess: "SecuredByPerimeter" }), association] }).status).toBe("pass");
  });

  it("does not take another resource's association for the account's", () => {
    const other = perimeterAssociation(`${ACCOUNT_ID}-2`, "Enforced");
    expect(judge("NET-1", { resources: [account({ publicNetworkAccess: "SecuredByPerimeter" }), other] })).toMatchObject({
      status: "unknown",
      reason: "not_visible",
    });
  });

  it("shows the perimeter profile that stays open, and says Learning only observes", () => {
    const f = judge("NET-1", {
      resources: [account({ publicNetworkAccess: "SecuredByPerimeter", ...OPEN_ACLS }), perimeterAssociation(ACCOUNT_ID, "Learning")],
    });
    expect(f.message).toBe(
      "speech-prod-01 accepts traffic from all public networks: it is associated only with perimeter profile profile-speech (Learning). " +
        "Learning and Audit modes only observe: the resource's own network settings still apply, and they let public traffic in.",
    );
    expect(f.evidence).toContainEqual({
      path: `perimeter:${PERIMETER}/resourceAssociations/assoc-1 properties.accessMode`,
      actual: "Learning",
      expected: "Enforced",
    });
    expect(f.evidence).toContainEqual({
      path: `perimeter:${PERIMETER}/resourceAssociations/assoc-1 properties.profile.id`,
      actual: `${PERIMETER}/profiles/profile-speech`,
      expected: "a profile whose access rules admit only what must reach it",
    });
  });

  it("names the enforced profile when it passes, and the missing association when unknown", () => {
    const enforced = judge("NET-1", { resources: [account({ publicNetworkAccess: "SecuredByPerimeter" }), perimeterAssociation(ACCOUNT_ID, "Enforced")] });
    expect(enforced.message).toContain(
      "is in a network security perimeter in Enforced mode, whose access rules decide which public traffic reaches it (profile profile-speech)",
    );
    const unseen = judge("NET-1", { resources: [account({ publicNetworkAccess: "SecuredByPerimeter" })] });
    expect(unseen.message).toContain("no network security perimeter association of it is in the snapshot");
    expect(unseen.evidence).toContainEqual({
      path: `account:${ACCOUNT_ID} networkSecurityPerimeter`,
      actual: null,
      expected: "a visible network security perimeter association in Enforced mode",
    });
  });
});

describe("NET-3 in a network security perimeter", () => {
  const ST2 = storageId("stspeech02");
  const byPerimeter = (modes: readonly string[], id = ST, name = "stspeech01") => [
    storage(name, { publicNetworkAccess: "SecuredByPerimeter", networkAcls: { defaultAction: "Allow" } }, id),
    ...modes.map((mode, i) => perimeterAssociation(id, mode, `${name}-${i}`)),
  ];
  const closed = (id = ST2, name = "stspeech02") => [storage(name, {}, id)];
  const open = (id = ST2, name = "stspeech02") => [storage(name, { publicNetworkAccess: "Enabled", networkAcls: { defaultAction: "Allow" } }, id)];

  it.each([
    ["Enforced", [ST], byPerimeter(["Enforced"]), "pass", null],
    ["Learning", [ST], byPerimeter(["Learning"]), "fail", null],
    ["Audit", [ST], byPerimeter(["Audit"]), "fail", null],
    ["no visible association", [ST], byPerimeter([]), "unknown", "not_visible"],
    ["Enabled with an Enforced association", [ST], [...open(ST, "stspeech01"), perimeterAssociation(ST, "Enforced")], "pass", null],
    ["no visible association, and another account closed", [ST, ST2], [...byPerimeter([]), ...closed()], "unknown", "not_visible"],
    ["no visible association, and another account open", [ST, ST2], [...byPerimeter([]), ...open()], "fail", null],
    ["no visible association, and another account not in the snapshot", [ST, ST2], byPerimeter([]), "unknown", "not_visible"],
    ["Enforced, and another account closed", [ST, ST2], [...byPerimeter(["Enforced"]), ...closed()], "pass", null],
  ])("%s → %s", (_, links, docs, status, reason) => {
    expect(judge("NET-3", { resources: [account(linking(...links)), ...docs] })).toMatchObject({ status, reason });
  });

  it("says the perimeter association is missing, and shows what stays open in Learning mode", () => {
    const unseen = judge("NET-3", { resources: [account(linking(ST)), ...byPerimeter([])] });
    expect(unseen.message).toContain(
      "Linked storage account stspeech01 is set to SecuredByPerimeter, but no network security perimeter association of it is in the snapshot",
    );
    const learning = judge("NET-3", { resources: [account(linking(ST)), ...byPerimeter(["Learning"])] });
    expect(learning.message).toContain("no network security perimeter association is Enforced");
    expect(learning.evidence).toContainEqual({
      path: `perimeter:${PERIMETER}/resourceAssociations/stspeech01-0 properties.accessMode`,
      actual: "Learning",
      expected: "Enforced",
    });
  });

  it("makes an otherwise hardened account's LBX-1 unknown not_visible, and pass once the association is Enforced", () => {
    const parts = hardened();
    const sid = storageId("stspeechprod01");
    const secured = parts.resources.map((d) =>
      d.id === sid ? { ...d, properties: { ...d.properties, publicNetworkAccess: "SecuredByPerimeter", networkAcls: { defaultAction: "Allow" } } } : d,
    );
    expect(judge("LBX-1", { ...parts, resources: secured })).toMatchObject({ status: "unknown", reason: "not_visible" });
    expect(judge("LBX-1", { ...parts, resources: [...secured, perimeterAssociation(sid, "Enforced")] }).status).toBe("pass");
    expect(judge("LBX-1", { ...parts, resources: [...secured, perimeterAssociation(sid, "Audit")] }).status).toBe("fail");
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
      "SecuredByPerimeter with Allow and no visible association",
      [account(linking(ST)), storage("stspeech01", { publicNetworkAccess: "SecuredByPerimeter", networkAcls: { defaultAction: "Allow" } })],
      "unknown",
      "not_visible",
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
