/**
 * The scan-target form's flat fields to the target shape the store validates (and back, to fill
 * the form when editing). Only fields that apply to the chosen kind and scope are passed on, so a
 * value left in a hidden field never reaches the store.
 */
import { describeScope, type CredentialKind, type ScanTarget } from "@/lib/posture/targets";

export const TARGET_FIELD_WORDS: Record<string, string> = {
  tenantId: "Tenant ID",
  displayName: "Name",
  credentialKind: "Credential",
  clientId: "Client ID",
  secretEnv: "Secret variable",
  certificatePath: "Certificate file",
  tokenFilePath: "Token file",
  scopeKind: "Scope",
  managementGroups: "Management groups",
  subscriptions: "Subscriptions",
  exclude: "Excluded subscriptions",
  target: "Target",
};

/** The flat form values of a stored target (for editing). */
export function targetFormValues(t: ScanTarget): Record<string, string> {
  return {
    tenantId: t.tenantId,
    displayName: t.displayName,
    credentialKind: t.credential.kind,
    clientId: t.credential.clientId ?? "",
    secretEnv: t.credential.secretEnv ?? "",
    certificatePath: t.credential.certificatePath ?? "",
    tokenFilePath: t.credential.tokenFilePath ?? "",
    scopeKind: t.scope.kind,
    managementGroups: t.scope.kind === "managementGroups" ? t.scope.managementGroups.join(", ") : "",
    subscriptions: t.scope.kind === "subscriptions" ? t.scope.subscriptions.join("\n") : "",
    exclude: t.exclude.join("\n"),
  };
}

/** The untrusted target input the store will validate, from the form's fields. */
export function targetInputFromForm(v: Record<string, string | undefined>): Record<string, unknown> {
  const kind = (v.credentialKind ?? "").trim() as CredentialKind;
  const credential: Record<string, unknown> = { kind };
  if (kind !== "azure-cli" && v.clientId?.trim()) credential.clientId = v.clientId;
  if (kind === "client-secret") credential.secretEnv = v.secretEnv;
  if (kind === "client-certificate") credential.certificatePath = v.certificatePath;
  if (kind === "workload-identity" && v.tokenFilePath?.trim()) credential.tokenFilePath = v.tokenFilePath;
  const scopeKind = (v.scopeKind ?? "tenant").trim();
  const scope: Record<string, unknown> = { kind: scopeKind };
  if (scopeKind === "managementGroups") scope.managementGroups = v.managementGroups ?? "";
  if (scopeKind === "subscriptions") scope.subscriptions = v.subscriptions ?? "";
  return { tenantId: v.tenantId, displayName: v.displayName, credential, scope, exclude: v.exclude ?? "" };
}

/** One line per target for the table. */
export function targetRow(t: ScanTarget): { credential: string; scope: string } {
  const ref = t.credential.secretEnv
    ? `$${t.credential.secretEnv}`
    : (t.credential.certificatePath ?? t.credential.tokenFilePath ?? (t.credential.clientId ? `client ${t.credential.clientId}` : ""));
  return { credential: ref ? `${t.credential.kind} (${ref})` : t.credential.kind, scope: describeScope(t.scope, t.exclude) };
}
