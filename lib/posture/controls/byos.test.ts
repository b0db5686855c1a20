import { describe, expect, it } from "vitest";
import {
  account,
  argAccount,
  judge,
  linking,
  OTHER_SUB,
  PRINCIPAL,
  RG,
  roleAssignment,
  storage,
  storageId,
  SUB,
  type SnapshotParts,
} from "@/lib/posture/testing/fixtures";

const ST = storageId("stspeech01");

describe("BYOS-1 customer-owned storage", () => {
  it.each([
    ["a linked storage account", linking(ST), "pass"],
    ["no userOwnedStorage", {}, "fail"],
    ["an empty list", { userOwnedStorage: [] }, "fail"],
    ["only a blank resourceId", { userOwnedStorage: [{ resourceId: "   " }] }, "fail"],
    ["an entry without resourceId", { userOwnedStorage: [{ identityClientId: "x" }] }, "fail"],
    ["one blank and one real link", { userOwnedStorage: [{ resourceId: "" }, { resourceId: ST }] }, "pass"],
  ])("%s → %s", (_, props, status) => {
    expect(judge("BYOS-1", { resources: [account(props)] }).status).toBe(status);
  });

  it("says BYOS can only be chosen at creation when it fails", () => {
    const f = judge("BYOS-1", { resources: [account()] });
    expect(f.message).toContain("speech-prod-01");
    expect(f.message).toContain("only be chosen when a Speech resource is created");
    expect(f.evidence).toEqual([
      { path: `account:${f.resourceId} properties.userOwnedStorage[*].resourceId`, actual: null, expected: "at least one storage account ID" },
    ]);
  });
});

describe("BYOS-2 linked storage exists", () => {
  it("is not applicable without BYOS", () => {
    expect(judge("BYOS-2", { resources: [account()] })).toMatchObject({ status: "not_applicable", reason: null });
  });

  it("passes when the linked account is in the snapshot, matching IDs case-insensitively", () => {
    const f = judge("BYOS-2", { resources: [account(linking(ST.toUpperCase())), storage("stspeech01")] });
    expect(f.status).toBe("pass");
    expect(f.message).toBe("Linked storage account STSPEECH01 exists.");
  });

  it("fails for a dangling link in a scanned subscription", () => {
    const f = judge("BYOS-2", { resources: [account(linking(ST))] });
    expect(f.status).toBe("fail");
    expect(f.message).toContain("Linked storage account stspeech01 does not exist although its subscription was scanned");
  });

  it("is unknown not_visible when the storage's subscription was not listed", () => {
    const elsewhere = storageId("stspeech01", OTHER_SUB);
    const f = judge("BYOS-2", { resources: [account(linking(elsewhere))] });
    expect(f).toMatchObject({ status: "unknown", reason: "not_visible" });
    expect(f.evidence).toContainEqual({ path: `subscription:${OTHER_SUB} scanned`, actual: false, expected: true });
  });

  it("is unknown not_visible when a resourceGraph error covers the storage's subscription", () => {
    const f = judge("BYOS-2", {
      resources: [account(linking(ST))],
      errors: [{ scope: `/subscriptions/${SUB.toUpperCase()}`, source: "resourceGraph", reason: "access_denied" }],
    });
    expect(f).toMatchObject({ status: "unknown", reason: "not_visible" });
  });

  it("fails when one of several links dangles even if another is in an unscanned subscription", () => {
    const f = judge("BYOS-2", { resources: [account(linking(storageId("stother", OTHER_SUB), ST))] });
    expect(f.status).toBe("fail");
  });
});

describe("BYOS-3 managed identity reaches storage", () => {
  const withAssignment = (scope: string, extra: Partial<SnapshotParts> = {}, identity?: unknown): SnapshotParts => ({
    resources: [account(linking(ST), identity === undefined ? {} : { identity: identity as never }), storage("stspeech01"), roleAssignment(scope)],
    ...extra,
  });

  it("is not applicable without BYOS, even when role assignments were not collected", () => {
    expect(judge("BYOS-3", { resources: [account()], coverage: ["resources"] }).status).toBe("not_applicable");
  });

  it("is unknown not_collected when coverage lacks roleAssignments", () => {
    const f = judge("BYOS-3", withAssignment(ST, { coverage: ["resources", "diagnosticSettings", "speechEndpoints"] }));
    expect(f).toMatchObject({ status: "unknown", reason: "not_collected" });
  });

  it("is unknown with the error's reason when the role assignment query failed for the subscription", () => {
    const f = judge("BYOS-3", withAssignment(ST, { errors: [{ scope: `/subscriptions/${SUB}`, source: "roleAssignments", reason: "network_blocked" }] }));
    expect(f).toMatchObject({ status: "unknown", reason: "network_blocked" });
  });

  it("is unknown not_visible when the storage's subscription was not scanned", () => {
    const elsewhere = storageId("stspeech01", OTHER_SUB);
    const f = judge("BYOS-3", { resources: [account(linking(elsewhere)), roleAssignment(elsewhere)] });
    expect(f).toMatchObject({ status: "unknown", reason: "not_visible" });
  });

  it.each([
    ["the storage account", ST],
    ["the storage account, differently cased", ST.toUpperCase()],
    ["its resource group", RG],
    ["its resource group with a trailing slash", `${RG}/`],
    ["its subscription", `/subscriptions/${SUB}`],
    ["the root scope /", "/"],
  ])("passes with Storage Blob Data Contributor at %s", (_, scope) => {
    expect(judge("BYOS-3", withAssignment(scope)).status).toBe("pass");
  });

  it.each([
    ["a sibling whose name extends the scope's", storageId("stspeech0"), storageId("stspeech01")],
    ["another resource group", `/subscriptions/${SUB}/resourceGroups/rg-other`, storageId("stspeech01")],
    ["a resource group that is a name prefix", `/subscriptions/${SUB}/resourceGroups/rg-spee`, storageId("stspeech01")],
    ["a management group", "/providers/Microsoft.Management/managementGroups/contoso", storageId("stspeech01")],
    // Path prefixes that are not one of the four scopes CONTROLS.md counts.
    ["/subscriptions", "/subscriptions", storageId("stspeech01")],
    ["the subscription's resourceGroups segment", `/subscriptions/${SUB}/resourceGroups`, storageId("stspeech01")],
    ["the resource group's providers segment", `${RG}/providers`, storageId("stspeech01")],
    ["the resource provider", `${RG}/providers/Microsoft.Storage`, storageId("stspeech01")],
    ["the resource type", `${RG}/providers/Microsoft.Storage/storageAccounts`, storageId("stspeech01")],
  ])("fails when the only assignment is at %s", (_, scope, linked) => {
    const f = judge("BYOS-3", { resources: [account(linking(linked)), storage("stspeech01"), roleAssignment(scope)] });
    expect(f.status).toBe("fail");
    expect(f.message).toContain("management group cannot be resolved from a snapshot");
  });

  it("fails for another principal or another role", () => {
    const otherPrincipal = { resources: [account(linking(ST)), storage("stspeech01"), roleAssignment(ST, "someone-else")] };
    const reader = { resources: [account(linking(ST)), storage("stspeech01"), roleAssignment(ST, PRINCIPAL, "2a2b9908-6ea1-4ae2-8e65-a410df84e7d1")] };
    expect(judge("BYOS-3", otherPrincipal).status).toBe("fail");
    expect(judge("BYOS-3", reader).status).toBe("fail");
  });

  it.each([
    ["SystemAssigned, UserAssigned", "pass"],
    ["systemassigned", "pass"],
    ["UserAssigned", "fail"],
    ["None", "fail"],
  ])("identity.type %s → %s", (type, status) => {
    expect(judge("BYOS-3", withAssignment(ST, {}, { type, principalId: PRINCIPAL })).status).toBe(status);
  });

  it("matches the principal case-insensitively and derives the scope from the assignment ID when scope is absent", () => {
    const assignment = roleAssignment(ST, PRINCIPAL.toUpperCase());
    delete (assignment.properties as Record<string, unknown>).scope;
    expect(judge("BYOS-3", { resources: [argAccount(linking(ST)), storage("stspeech01"), assignment] }).status).toBe("pass");
  });

  it("needs the role on every linked storage account", () => {
    const second = storageId("stspeech02");
    const f = judge("BYOS-3", { resources: [account(linking(ST, second)), storage("stspeech01"), storage("stspeech02"), roleAssignment(ST)] });
    expect(f.status).toBe("fail");
    expect(f.message).toContain("stspeech02");
    expect(f.message).not.toContain("stspeech01 ");
  });
});
