import { expect, test } from "@playwright/test";
import { AZURE_MAPPINGS } from "@/lib/posture/azure-verdicts";
import { expectAccessible, gotoReady, resourcePath, uploadSnapshot } from "./support";

const CMK_POLICY = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";

/** A CognitiveServices account with Microsoft-managed keys that Azure's CMK built-in calls Compliant (its default excludedKinds). */
function lenientSnapshot(name: string): { resources: Record<string, unknown>[] } & Record<string, unknown> {
  const sub = "00000000-0000-4000-8000-00000000a2e0";
  const id = `/subscriptions/${sub}/resourceGroups/rg-e2e/providers/Microsoft.CognitiveServices/accounts/${name}`;
  const assignment = `/subscriptions/${sub}/providers/Microsoft.Authorization/policyAssignments/cmk-audit`;
  return {
    kind: "speech-posture.snapshot",
    version: 1,
    collectedAt: new Date().toISOString(),
    subscriptions: [{ subscriptionId: sub, displayName: "e2e-azure", state: "Enabled" }],
    coverage: ["resources", "roleAssignments", "diagnosticSettings", "speechEndpoints", "azurePolicy"],
    resources: [
      {
        id,
        name,
        type: "Microsoft.CognitiveServices/accounts",
        kind: "CognitiveServices",
        location: "westeurope",
        subscriptionId: sub,
        resourceGroup: "rg-e2e",
        properties: { publicNetworkAccess: "Enabled", encryption: { keySource: "Microsoft.CognitiveServices" } },
      },
      {
        id: `${id}/providers/Microsoft.PolicyInsights/policyStates/cmk`,
        type: "microsoft.policyinsights/policystates",
        properties: {
          resourceId: id,
          policyDefinitionId: `/providers/Microsoft.Authorization/policyDefinitions/${CMK_POLICY}`,
          policyAssignmentId: assignment,
          complianceState: "Compliant",
          timestamp: "2026-11-27T08:00:00Z",
        },
      },
      { id: assignment, type: "microsoft.authorization/policyassignments", properties: { displayName: "Audit customer-managed keys (e2e)" } },
    ],
    diagnosticSettings: {},
    speechEndpoints: {},
    errors: [],
  };
}

test("the overview's 'Azure says compliant' tile leads to the resource page that explains why we differ", async ({ page, request }) => {
  const name = `cog-e2e-${Date.now().toString(36)}`;
  await uploadSnapshot(request, lenientSnapshot(name));

  await gotoReady(page, "/");
  await expect(page.getByTestId("azure-compliance")).toContainText("Azure's own compliance: 100%");
  const tile = page.getByTestId("azure-lenient-tile");
  await expect(tile).toContainText("Azure says compliant — data at risk");
  await expect(page.getByTestId("azure-lenient-count")).toHaveText("1");
  await tile.click();

  await expect(page).toHaveURL(/\/findings\?.*agreement=azure_lenient/);
  await page.waitForLoadState("load");
  const row = page.getByTestId("finding-row");
  await expect(row).toHaveCount(1);
  await expect(row).toHaveAttribute("data-control", "CMK-1");
  await expect(row).toHaveAttribute("data-agreement", "azure_lenient");
  await expect(row.locator("[data-azure-state]")).toHaveText(/Compliant/);
  await expect(page.getByLabel("Azure agreement")).toHaveValue("azure_lenient");
  await row.getByRole("link", { name }).click();

  await expect(page).toHaveURL(/\/resources\//);
  const card = page.locator('[data-testid="resource-finding"][data-control="CMK-1"]');
  const azure = card.getByTestId("azure-verdicts");
  await expect(azure).toHaveAttribute("data-agreement", "azure_lenient");
  await expect(azure).toContainText(AZURE_MAPPINGS["CMK-1"]!.policies[0].name);
  await expect(azure).toContainText("Audit customer-managed keys (e2e)");
  await expect(azure).toContainText("Compliant");
  await expect(card.getByTestId("azure-differences")).toContainText("excludedKinds leaves out CognitiveServices");
  await expectAccessible(page, "resource page with Azure's verdicts");
});

test("an Azure exemption is shown, not applied, and an Operator may adopt it as an exception", async ({ page, request }) => {
  const name = `cog-exempt-${Date.now().toString(36)}`;
  const snapshot = lenientSnapshot(name);
  const account = snapshot.resources[0] as { id: string };
  const state = snapshot.resources[1] as { properties: Record<string, unknown> };
  state.properties.complianceState = "Exempt";
  const expires = new Date(Date.now() + 40 * 86_400_000).toISOString().slice(0, 10);
  snapshot.resources.push({
    id: `${account.id}/providers/Microsoft.Authorization/policyExemptions/waive-cmk`,
    type: "microsoft.authorization/policyexemptions",
    properties: {
      policyAssignmentId: state.properties.policyAssignmentId as string,
      exemptionCategory: "Waiver",
      expiresOn: `${expires}T00:00:00Z`,
      displayName: "Waive CMK for the pilot",
      metadata: { requestedBy: "kim@contoso.example" },
    },
  });
  await uploadSnapshot(request, snapshot);

  await gotoReady(page, resourcePath(account.id));
  const card = page.locator('[data-testid="resource-finding"][data-control="CMK-1"]');
  // Shown, never applied: the finding still fails and is not muted.
  await expect(card).toHaveAttribute("data-status", "fail");
  await expect(card.getByText("Muted", { exact: true })).toHaveCount(0);
  await expect(card.getByTestId("azure-verdicts")).toHaveAttribute("data-agreement", "azure_exempt");
  const exemption = card.getByTestId("azure-exemption");
  await expect(exemption).toContainText("Waive CMK for the pilot");
  await expect(exemption).toContainText("(Waiver)");

  await exemption.getByRole("button", { name: /Adopt as exception/ }).click();
  const dialog = page.getByRole("dialog", { name: "Add an exception" });
  await expect(dialog.getByLabel(/^Owner/)).toHaveValue("kim@contoso.example");
  await expect(dialog.getByLabel("Reason")).toHaveValue("Adopted from Azure exemption Waive CMK for the pilot");
  await expect(dialog.getByLabel(/^Expires/)).toHaveValue(expires);
  await dialog.getByRole("button", { name: "Create exception" }).click();
  await expect(dialog).toBeHidden();
  await expect(card.getByText("Muted", { exact: true })).toBeVisible();

  // Audited like any exception.
  await gotoReady(page, "/audit");
  await expect(page.getByTestId("audit-row").filter({ hasText: "Adopted from Azure exemption Waive CMK for the pilot" }).first()).toBeVisible();
});
