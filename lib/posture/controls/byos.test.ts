import { describe, expect, it } from "vitest";
import {
  ACCOUNT_ID,
  account,
  argAccount,
  judge,
  linking,
  managementGroupScope,
  OTHER_SUB,
  PRINCIPAL,
  RG,
  roleAssignment,
  storage,
  storageId,
  SUB,
  type SnapshotParts,
} from "@/lib/posture/testing/fixtures";
import type { SnapshotError } from "@/lib/posture/snapshot";

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

describe("BYOS-2 hidden storage (Resource Graph left it out)", () => {
  const graphError = (scope: string, reason?: string, code?: string): SnapshotError =>
    ({ scope, source: "resourceGraph", ...(reason === undefined ? {} : { reason }), ...(code ? { code } : {}) }) as SnapshotError;
  const ST2 = storageId("stspeech02", SUB, "rg-data");
  const ST3 = storageId("stother", OTHER_SUB);

  it.each([
    ["by its own ID", [graphError(ST, "access_denied")], "unknown", "access_denied"],
    ["by its ID with a trailing slash, in other casing", [graphError(`${ST.toUpperCase()}/`, "network_blocked")], "unknown", "network_blocked"],
    ["by its resource group", [graphError(RG, "access_denied")], "unknown", "access_denied"],
    ["with a reason this build does not know", [graphError(ST, "throttled")], "unknown", "collection_error"],
    ["without a reason", [graphError(ST)], "unknown", "collection_error"],
    [
      "source spelled in another casing",
      [{ scope: ST, source: "ResourceGraph", reason: "access_denied" } as unknown as SnapshotError],
      "unknown",
      "access_denied",
    ],
    // Not hidden: the entry does not apply to it by its ID or resource group.
    ["not by a sibling resource group whose name extends its own", [graphError(`${RG}2`, "access_denied")], "fail", null],
    ["not by a storage account whose name extends its own", [graphError(`${ST}9`, "access_denied")], "fail", null],
    ["not by an entry of another source", [{ scope: ST, source: "roleAssignments", reason: "access_denied" } as SnapshotError], "fail", null],
    // By its subscription it is not hidden but "not scanned".
    ["not by its subscription (that is not scanned)", [graphError(`/subscriptions/${SUB}`, "access_denied")], "unknown", "not_visible"],
  ])("a missing linked account %s → %s", (_, errors, status, reason) => {
    expect(judge("BYOS-2", { resources: [account(linking(ST))], errors })).toMatchObject({ status, reason });
  });

  it.each([
    ["a dangling one before a hidden one", linking(ST, ST2), [], [graphError(ST2, "access_denied")], "fail", null],
    ["a dangling one after a hidden one", linking(ST2, ST), [], [graphError(ST2, "access_denied")], "fail", null],
    ["an unscanned one before a hidden one's reason", linking(ST2, ST3), [], [graphError(ST2, "access_denied")], "unknown", "not_visible"],
    [
      "the first hidden one's reason, in userOwnedStorage order",
      linking(ST2, ST),
      [],
      [graphError(ST, "network_blocked"), graphError(ST2, "access_denied")],
      "unknown",
      "access_denied",
    ],
    ["a hidden one and a visible one", linking(ST, ST2), [storage("stspeech01")], [graphError(ST2, "access_denied")], "unknown", "access_denied"],
  ])("classifies the missing ones in order: %s → %s", (_, links, visible, errors, status, reason) => {
    expect(judge("BYOS-2", { resources: [account(links), ...visible], subscriptions: [SUB], errors })).toMatchObject({ status, reason });
  });

  it("says the account may exist and shows the error entry as evidence", () => {
    const f = judge("BYOS-2", { resources: [account(linking(ST))], errors: [graphError(RG, "access_denied", "AuthorizationFailed")] });
    expect(f.message).toContain(
      "Linked storage account stspeech01 could not be checked: Resource Graph did not return it (access denied (AuthorizationFailed))",
    );
    expect(f.evidence).toContainEqual({ path: `errors:${RG} resourceGraph`, actual: "AuthorizationFailed", expected: "no collection error" });
  });

  it("makes LBX-1 unknown with the hidden account's reason (BYOS-2 comes before the storage controls)", () => {
    expect(judge("LBX-1", { resources: [account(linking(ST))], errors: [graphError(ST, "access_denied")] })).toMatchObject({
      status: "unknown",
      reason: "access_denied",
    });
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
    ["a management group that is not an ancestor", managementGroupScope("mg-other"), storageId("stspeech01")],
    ["a management group whose name extends an ancestor's", managementGroupScope("mg-speech01"), storageId("stspeech01")],
    ["below a management group (not the group itself)", `${managementGroupScope("mg-speech")}/subscriptions/${SUB}`, storageId("stspeech01")],
    // Path prefixes that are not one of the scopes CONTROLS.md counts.
    ["/subscriptions", "/subscriptions", storageId("stspeech01")],
    ["the subscription's resourceGroups segment", `/subscriptions/${SUB}/resourceGroups`, storageId("stspeech01")],
    ["the resource group's providers segment", `${RG}/providers`, storageId("stspeech01")],
    ["the resource provider", `${RG}/providers/Microsoft.Storage`, storageId("stspeech01")],
    ["the resource type", `${RG}/providers/Microsoft.Storage/storageAccounts`, storageId("stspeech01")],
    ["the management groups root", "/providers/Microsoft.Management/managementGroups", storageId("stspeech01")],
  ])("fails when the only assignment is at %s", (_, scope, linked) => {
    const f = judge("BYOS-3", {
      resources: [account(linking(linked)), storage("stspeech01"), roleAssignment(scope)],
      managementGroups: { [SUB]: ["mg-speech", "mg-platform", "tenant-root"] },
    });
    expect(f.status).toBe("fail");
    expect(f.message).toContain("has no Storage Blob Data Contributor role assignment on linked storage account stspeech01");
    expect(f.evidence).toContainEqual(expect.objectContaining({ path: `storage:${ST} roleAssignments`, actual: null }));
  });

  describe("management-group scopes", () => {
    const atGroup = (scope: string, ancestors: string[] | null | undefined): SnapshotParts => ({
      resources: [account(linking(ST)), storage("stspeech01"), roleAssignment(scope)],
      ...(ancestors === undefined ? {} : { managementGroups: { [SUB]: ancestors } }),
    });

    it.each([
      ["the nearest ancestor", managementGroupScope("mg-speech"), ["mg-speech", "mg-platform"], "pass", null],
      ["a farther ancestor, differently cased", managementGroupScope("MG-Platform"), ["mg-speech", "mg-platform"], "pass", null],
      ["an ancestor, with a trailing slash", `${managementGroupScope("mg-platform")}/`, ["mg-speech", "mg-platform"], "pass", null],
      ["an ancestor spelled with padding in the snapshot", managementGroupScope("mg-speech"), [" MG-SPEECH "], "pass", null],
      ["a group that is not an ancestor", managementGroupScope("mg-other"), ["mg-speech", "mg-platform"], "fail", null],
      ["any group, when the subscription has none ([])", managementGroupScope("mg-speech"), [], "fail", null],
      ["a group, with ancestors null (not known)", managementGroupScope("mg-speech"), null, "unknown", "not_visible"],
      ["a group, with ancestors absent (not known)", managementGroupScope("mg-other"), undefined, "unknown", "not_visible"],
    ])("a grant at %s → %s", (_, scope, ancestors, status, reason) => {
      expect(judge("BYOS-3", atGroup(scope, ancestors))).toMatchObject({ status, reason });
    });

    it("says why a management-group grant cannot be resolved, naming the storage account", () => {
      const f = judge("BYOS-3", atGroup(managementGroupScope("mg-speech"), undefined));
      expect(f.message).toContain("management groups above the subscription of linked storage account stspeech01 are not known");
      expect(f.evidence).toContainEqual({
        path: `subscription:${SUB} managementGroupAncestors`,
        actual: null,
        expected: "the subscription's management groups",
      });
    });

    it("fails without ancestors when no grant is at any management group", () => {
      expect(judge("BYOS-3", { resources: [account(linking(ST)), storage("stspeech01")] }).status).toBe("fail");
    });

    it("ignores a management-group grant of another role when the ancestors are not known", () => {
      const reader = roleAssignment(managementGroupScope("mg-speech"), PRINCIPAL, "acdd72a7-3385-48ef-bd42-f606fba81ae7");
      expect(judge("BYOS-3", { resources: [account(linking(ST)), storage("stspeech01"), reader] }).status).toBe("fail");
    });

    it("reads the ancestors of the storage account's subscription, not the Speech account's", () => {
      const elsewhere = storageId("stspeech01", OTHER_SUB);
      const parts = (groups: Record<string, string[] | null>): SnapshotParts => ({
        resources: [account(linking(elsewhere)), storage("stspeech01", {}, elsewhere), roleAssignment(managementGroupScope("mg-b"))],
        subscriptions: [SUB, OTHER_SUB],
        managementGroups: groups,
      });
      expect(judge("BYOS-3", parts({ [SUB]: ["mg-a"], [OTHER_SUB]: ["mg-b"] })).status).toBe("pass");
      expect(judge("BYOS-3", parts({ [SUB]: ["mg-b"], [OTHER_SUB]: ["mg-a"] })).status).toBe("fail");
      expect(judge("BYOS-3", parts({ [SUB]: ["mg-b"], [OTHER_SUB]: null })).status).toBe("unknown");
    });
  });

  describe("several linked storage accounts combine: fail, then unknown, then pass", () => {
    const second = storageId("stspeech02", OTHER_SUB);
    const parts = (grants: string[], groups: Record<string, string[] | null>): SnapshotParts => ({
      resources: [
        account(linking(ST, second)),
        storage("stspeech01"),
        storage("stspeech02", {}, second),
        ...grants.map((g, i) => roleAssignment(g, PRINCIPAL, undefined, `${i}`)),
      ],
      subscriptions: [SUB, OTHER_SUB],
      managementGroups: groups,
    });
    it.each([
      ["both covered", [ST, second], { [SUB]: [], [OTHER_SUB]: [] }, "pass", null],
      ["one covered, one unresolved", [ST, managementGroupScope("mg-x")], { [SUB]: ["mg-y"], [OTHER_SUB]: null }, "unknown", "not_visible"],
      ["one missing, one unresolved", [managementGroupScope("mg-x")], { [SUB]: ["mg-y"], [OTHER_SUB]: null }, "fail", null],
      ["one missing, one covered", [second], { [SUB]: [], [OTHER_SUB]: [] }, "fail", null],
      ["both covered by one group", [managementGroupScope("mg-x")], { [SUB]: ["mg-x"], [OTHER_SUB]: ["mg-x", "root"] }, "pass", null],
    ])("%s → %s", (_, grants, groups, status, reason) => {
      expect(judge("BYOS-3", parts(grants, groups))).toMatchObject({ status, reason });
    });
  });

  describe("roleAssignments errors", () => {
    const error = (scope: string, reason?: string, code?: string): SnapshotError =>
      ({ scope, source: "roleAssignments", ...(reason === undefined ? {} : { reason }), ...(code ? { code } : {}) }) as SnapshotError;
    const elsewhere = storageId("stspeech01", OTHER_SUB, "rg-data");
    const withErrors = (errors: SnapshotError[]): SnapshotParts => ({
      resources: [account(linking(elsewhere)), storage("stspeech01", {}, elsewhere), roleAssignment(elsewhere)],
      subscriptions: [SUB, OTHER_SUB],
      errors,
    });
    it.each([
      ["at the account", [error(ACCOUNT_ID, "access_denied")], "access_denied"],
      ["at the account, with a trailing slash and other casing", [error(`${ACCOUNT_ID.toUpperCase()}/`, "network_blocked")], "network_blocked"],
      ["at the account's resource group", [error(RG, "network_blocked")], "network_blocked"],
      ["at the account's subscription", [error(`/subscriptions/${SUB}`, "access_denied")], "access_denied"],
      ["at the linked storage account", [error(elsewhere, "access_denied")], "access_denied"],
      ["at the storage account's resource group", [error(`/subscriptions/${OTHER_SUB}/resourceGroups/rg-data`, "network_blocked")], "network_blocked"],
      ["at the storage account's subscription", [error(`/subscriptions/${OTHER_SUB}`, "access_denied")], "access_denied"],
      ["with a reason this build does not know", [error(elsewhere, "throttled")], "collection_error"],
      ["without a reason", [error(elsewhere)], "collection_error"],
      [
        "most specific wins for the account (resource over subscription, whatever the order)",
        [error(`/subscriptions/${SUB}`, "network_blocked"), error(ACCOUNT_ID, "access_denied")],
        "access_denied",
      ],
      ["the account before its storage", [error(elsewhere, "network_blocked"), error(RG, "access_denied")], "access_denied"],
      ["the storage's most specific entry", [error(`/subscriptions/${OTHER_SUB}`, "network_blocked"), error(elsewhere, "access_denied")], "access_denied"],
      ["the first listed of two at the same scope", [error(elsewhere, "network_blocked"), error(`${elsewhere}/`, "access_denied")], "network_blocked"],
    ])("unknown with the reason of an entry %s", (_, errors, reason) => {
      expect(judge("BYOS-3", withErrors(errors))).toMatchObject({ status: "unknown", reason });
    });

    it.each([
      ["a sibling resource group whose name extends the storage's", `/subscriptions/${OTHER_SUB}/resourceGroups/rg-data2`],
      ["a resource group that is a name prefix", `/subscriptions/${OTHER_SUB}/resourceGroups/rg-dat`],
      ["a storage account whose name extends the linked one's", `${elsewhere}9`],
      ["another source", "other-source"],
    ])("ignores an entry at %s", (_, scope) => {
      const errors =
        scope === "other-source"
          ? [{ scope: elsewhere, source: "diagnosticSettings", reason: "access_denied" } as SnapshotError]
          : [error(scope, "access_denied")];
      expect(judge("BYOS-3", withErrors(errors)).status).toBe("pass");
    });

    it("reads source and reason case-insensitively", () => {
      const errors = [{ scope: elsewhere, source: "RoleAssignments", reason: " Network_Blocked " } as unknown as SnapshotError];
      expect(judge("BYOS-3", withErrors(errors))).toMatchObject({ status: "unknown", reason: "network_blocked" });
    });
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

  it.each([
    ["the storage account", ST],
    ["the root scope (an empty prefix means /)", "/"],
  ])("takes the scope from the assignment ID when properties.scope is blank: %s", (_, scope) => {
    const assignment = roleAssignment(scope);
    (assignment.properties as Record<string, unknown>).scope = "  ";
    expect(judge("BYOS-3", { resources: [account(linking(ST)), storage("stspeech01"), assignment] }).status).toBe("pass");
  });

  it("reads coverage items case-insensitively", () => {
    const parts = withAssignment(ST, { coverage: ["Resources", " ROLEASSIGNMENTS "] as never });
    expect(judge("BYOS-3", parts).status).toBe("pass");
  });

  it("needs the role on every linked storage account", () => {
    const second = storageId("stspeech02");
    const f = judge("BYOS-3", { resources: [account(linking(ST, second)), storage("stspeech01"), storage("stspeech02"), roleAssignment(ST)] });
    expect(f.status).toBe("fail");
    expect(f.message).toContain("stspeech02");
    expect(f.message).not.toContain("stspeech01 ");
  });
});
