import { expect, test } from "@playwright/test";
import { AZURE_MAPPINGS } from "@/lib/posture/azure-verdicts";
import { expectAccessible, gotoReady, uploadSnapshot } from "./support";

const CMK_POLICY = "67121cc7-ff39-4ab8-b7e3-95b84dab487d";

/** A CognitiveServices account with Microsoft-managed keys that Azure's CMK built-in calls Compliant (its default excludedKinds). */
function lenientSnapshot(name: string) {
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
