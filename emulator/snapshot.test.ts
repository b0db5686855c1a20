/** tenantSnapshot: what a perfect collection of the tenant returns, management-group grants and ancestry included. */
import { describe, expect, it } from "vitest";
import { tenantSnapshot } from "./snapshot";
import { generateTenant } from "./tenant";

describe("tenantSnapshot", () => {
  const tenant = generateTenant();
  const snap = tenantSnapshot(tenant, "2026-12-01T00:00:00Z");

  it("lists the visible subscriptions with their management-group ancestors, nearest first", () => {
    const prod = tenant.subscriptions.find((s) => s.displayName === "contoso-speech-prod")!;
    expect(snap.subscriptions.find((s) => s.subscriptionId === prod.subscriptionId)?.managementGroupAncestors).toEqual([
      "mg-corp",
      "mg-landingzones",
      "mg-contoso",
      tenant.tenantId,
    ]);
    expect(snap.subscriptions).toHaveLength(tenant.subscriptions.filter((s) => s.visible).length);
  });

  it("holds the role assignments at management groups above the visible subscriptions, and nothing of hidden ones", () => {
    const atGroups = snap.resources.filter(
      (d) => d.id.startsWith("/providers/Microsoft.Management/managementGroups/") && d.type === "microsoft.authorization/roleassignments",
    );
    expect(atGroups.map((d) => d.id).sort()).toEqual(
      tenant.roleAssignments
        .filter((r) => r.id.startsWith("/providers/"))
        .map((r) => r.id)
        .sort(),
    );
    const hidden = new Set(tenant.subscriptions.filter((s) => !s.visible).map((s) => s.subscriptionId.toLowerCase()));
    expect(snap.resources.some((d) => hidden.has((d.id.split("/")[2] ?? "").toLowerCase()))).toBe(false);
  });
});
