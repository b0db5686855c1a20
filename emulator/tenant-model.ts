/**
 * The synthetic tenant's shape: plain data the emulator serves. Kept apart from `generateTenant`
 * so the generator can build it without importing the module that calls the generator.
 */
import type { AzureDocument } from "@/lib/posture/snapshot";

export interface TenantSubscription {
  subscriptionId: string;
  displayName: string;
  /** `Enabled`, `Warned`, `PastDue` or `Disabled`, as ARM spells them. */
  state: string;
  /** false: exists (resources may link into it) but the caller has no access and never sees it. */
  visible: boolean;
  /** Name of the management group it sits in; absent = the tenant root group. */
  managementGroup?: string;
}

/** A management group below the tenant root group (whose name is the tenant ID). */
export interface TenantManagementGroup {
  name: string;
  displayName: string;
  /** Parent group's name; absent = the tenant root group. */
  parent?: string;
}

export interface Tenant {
  tenantId: string;
  seed: number;
  subscriptions: TenantSubscription[];
  /** The management-group tree below the root group (absent or empty: every subscription under the root). */
  managementGroups?: TenantManagementGroup[];
  /** `resourcecontainers` rows of type `microsoft.resources/subscriptions/resourcegroups`. */
  resourceGroups: AzureDocument[];
  /** `resources` rows: accounts (Speech and other kinds), storage accounts, key vaults, workspaces,
   *  network security perimeters and their resource associations. */
  resources: AzureDocument[];
  /** `authorizationresources` rows (role assignments), at subscription scope and below or at a management group. */
  roleAssignments: AzureDocument[];
  /** `policyresources` rows: policy assignments (at a management group or a subscription), policy
   *  states and policy exemptions (emulator/generate/verdicts). Absent: the table is empty. */
  policyResources?: AzureDocument[];
  /** `securityresources` rows: Defender for Cloud assessments of the accounts. */
  securityResources?: AzureDocument[];
  /** Lower-cased resource ID → ARM `diagnosticSettings` list values. */
  diagnosticSettings: Map<string, object[]>;
  /** Lower-cased account ID → Speech-to-text custom endpoints (accounts with a custom subdomain). */
  speechEndpoints: Map<string, object[]>;
}

export const ROOT_GROUP_DISPLAY_NAME = "Tenant Root Group";
