/**
 * The Resource Graph (KQL) queries the collector sends. The emulator interprets exactly this
 * dialect, so a change here must keep to the operators it understands (emulator/kql).
 */
import { SPEECH_KINDS, STORAGE_BLOB_DATA_CONTRIBUTOR } from "@/lib/posture/snapshot";

/** Columns kept for every ARM document, so the snapshot holds what Azure returned. */
const DOCUMENT_COLUMNS = "id, name, type, kind, location, resourceGroup, subscriptionId, tenantId, sku, identity, tags, properties";

const speechKinds = SPEECH_KINDS.map((k) => `'${k}'`).join(", ");

/** KQL string literal; IDs and names from documents are quoted, never spliced raw. */
export function kqlString(value: string): string {
  return `'${value.replace(/\\/g, "\\\\").replace(/'/g, "\\'")}'`;
}

/**
 * Subscriptions visible to the caller (tenant scope: no `subscriptions` in the request). Their
 * `properties.managementGroupAncestorsChain` (`[{name, displayName}]`, nearest first) says which
 * management-group role assignments cover them.
 */
export const subscriptionsQuery = `resourcecontainers
| where type =~ 'microsoft.resources/subscriptions'
| project subscriptionId, name, tenantId, properties
| order by subscriptionId asc`;

/** Speech-capable Cognitive Services accounts. */
export const speechAccountsQuery = `resources
| where type =~ 'microsoft.cognitiveservices/accounts'
| where kind in~ (${speechKinds})
| project ${DOCUMENT_COLUMNS}
| order by id asc`;

/**
 * Storage accounts linked by the Speech accounts of the same scope (one query, no ID lists).
 * Linked accounts that sit in another batch of subscriptions are fetched by `storageByIdQuery`.
 */
export const linkedStorageQuery = `resources
| where type =~ 'microsoft.cognitiveservices/accounts'
| where kind in~ (${speechKinds})
| mv-expand linked = properties.userOwnedStorage
| extend storageKey = tolower(tostring(linked.resourceId))
| where isnotempty(storageKey)
| distinct storageKey
| join kind=inner (
    resources
    | where type =~ 'microsoft.storage/storageaccounts'
    | extend storageKey = tolower(id)
  ) on storageKey
| project ${DOCUMENT_COLUMNS}
| order by id asc`;

export function storageByIdQuery(ids: string[]): string {
  return `resources
| where type =~ 'microsoft.storage/storageaccounts'
| where id in~ (${ids.map(kqlString).join(", ")})
| project ${DOCUMENT_COLUMNS}
| order by id asc`;
}

/** Key vaults by name (vault names are unique in a cloud; evaluation matches on vaultUri). */
export function keyVaultsByNameQuery(names: string[]): string {
  return `resources
| where type =~ 'microsoft.keyvault/vaults'
| where name in~ (${names.map(kqlString).join(", ")})
| project ${DOCUMENT_COLUMNS}
| order by id asc`;
}

/**
 * Storage Blob Data Contributor assignments: the only role BYOS-3 reads. Sent with
 * `authorizationScopeFilter: AtScopeAboveAndBelow`, so grants at management groups and `/` that
 * cover the subscriptions come back too (the default leaves them out).
 */
export const blobContributorAssignmentsQuery = `authorizationresources
| where type =~ 'microsoft.authorization/roleassignments'
| where tostring(properties.roleDefinitionId) endswith '${STORAGE_BLOB_DATA_CONTRIBUTOR}'
| project id, name, type, subscriptionId, properties
| order by id asc`;

/**
 * Network security perimeter associations. An association lives under its perimeter, often in
 * another subscription than the resource it governs, so all of them in scope are read and the
 * collector keeps those whose `properties.privateLinkResource.id` is an account or its storage.
 */
export const perimeterAssociationsQuery = `resources
| where type =~ 'microsoft.network/networksecurityperimeters/resourceassociations'
| project id, name, type, location, resourceGroup, subscriptionId, tenantId, properties
| order by id asc`;

/** One document by ID (the emulator's KQL tests use it; the collector reads single resources from ARM). */
export function resourceByIdQuery(id: string): string {
  return `resources
| where id =~ ${kqlString(id)}
| project ${DOCUMENT_COLUMNS}`;
}

/** `properties.policyDefinitionId` ends in one of the GUIDs (built-ins: `/providers/Microsoft.Authorization/policyDefinitions/{guid}`). */
function definitionFilter(guids: readonly string[]): string {
  return guids.map((g) => `tostring(properties.policyDefinitionId) endswith ${kqlString(`/${g}`)}`).join(" or ");
}

const lowerList = (ids: readonly string[]) => ids.map((id) => kqlString(id.toLowerCase())).join(", ");

/** The types Azure's verdicts are read for: the accounts, their linked storage, their key vaults. */
export const VERDICT_SUBJECT_TYPES = ["microsoft.cognitiveservices/accounts", "microsoft.storage/storageaccounts", "microsoft.keyvault/vaults"] as const;

/**
 * Policy states of the mapped definitions for resources of the subject types in the requested
 * subscriptions, one row per subscription and assignment: what is the same for every state of an
 * assignment is sent once, each state as `{id, resourceId, complianceState, timestamp}`. A row per
 * state cost a request per 1,000 states (about ten per account); listing every subject's ID in the
 * query cost one per few hundred subjects. The collector keeps the states of its subjects.
 */
export function policyStatesQuery(definitionGuids: readonly string[]): string {
  return `policyresources
| where type =~ 'microsoft.policyinsights/policystates'
| where ${definitionFilter(definitionGuids)}
| where tolower(tostring(properties.resourceType)) in (${VERDICT_SUBJECT_TYPES.map(kqlString).join(", ")})
| summarize states = make_list(bag_pack('id', id, 'resourceId', properties.resourceId, 'complianceState', properties.complianceState, 'timestamp', properties.timestamp)) by subscriptionId, policyAssignmentId = tostring(properties.policyAssignmentId), policyAssignmentName = tostring(properties.policyAssignmentName), policyAssignmentScope = tostring(properties.policyAssignmentScope), policyDefinitionId = tostring(properties.policyDefinitionId), policyDefinitionAction = tostring(properties.policyDefinitionAction)
| order by subscriptionId asc, policyAssignmentId asc, policyDefinitionId asc`;
}

/**
 * The assignments the states name (their display names, for people) and the exemptions of those
 * assignments, in one query: the collector keeps the exemptions whose scope holds a resource in
 * scope. Sent with `authorizationScopeFilter: AtScopeAboveAndBelow`: an assignment at a management
 * group sits above the subscriptions.
 */
export function policyAssignmentsAndExemptionsQuery(assignmentIds: readonly string[]): string {
  const ids = lowerList(assignmentIds);
  return `policyresources
| where (type =~ 'microsoft.authorization/policyassignments' and tolower(id) in (${ids})) or (type =~ 'microsoft.authorization/policyexemptions' and tolower(tostring(properties.policyAssignmentId)) in (${ids}))
| project id, name, type, subscriptionId, properties = iff(type =~ 'microsoft.authorization/policyassignments', bag_pack('displayName', properties.displayName, 'scope', properties.scope, 'policyDefinitionId', properties.policyDefinitionId), properties)
| order by id asc`;
}

/**
 * Defender for Cloud assessments of the mapped keys for Cognitive Services accounts in the requested
 * subscriptions, one row per subscription and assessment key with the key's display name once (as
 * for policy states: a row per assessment cost a request per 1,000). The collector keeps those of
 * its accounts.
 */
export function defenderAssessmentsQuery(assessmentKeys: readonly string[]): string {
  return `securityresources
| where type =~ 'microsoft.security/assessments'
| where name in~ (${assessmentKeys.map(kqlString).join(", ")})
| where tostring(properties.resourceDetails.Id) contains '/providers/microsoft.cognitiveservices/accounts/'
| summarize assessments = make_list(bag_pack('id', id, 'properties', bag_pack('resourceDetails', properties.resourceDetails, 'status', properties.status))) by subscriptionId, name, displayName = tostring(properties.displayName)
| order by subscriptionId asc, name asc, displayName asc`;
}
