/**
 * Scan targets: the tenants an estate scan covers, each with how to sign in and what to scan.
 * Only a *reference* to a secret is kept (an environment variable's name, a file's path), never the
 * secret itself. Pure: parsing and validation, no I/O; every problem names its field.
 */
import { InputError } from "./input-error";

export const CREDENTIAL_KINDS = ["client-secret", "client-certificate", "workload-identity", "managed-identity", "azure-cli"] as const;
export type CredentialKind = (typeof CREDENTIAL_KINDS)[number];

export const CREDENTIAL_LABELS: Record<CredentialKind, string> = {
  "client-secret": "Service principal with a client secret",
  "client-certificate": "Service principal with a certificate",
  "workload-identity": "Workload identity (federated token file)",
  "managed-identity": "Managed identity",
  "azure-cli": "Azure CLI sign-in",
};

/** How the scanner signs in to a tenant: a kind and references, never a secret. */
export interface CredentialRef {
  kind: CredentialKind;
  /** Application (client) ID: required for service principals and workload identity; for a managed identity, a user-assigned one's. */
  clientId?: string;
  /** client-secret: the environment variable holding the secret. */
  secretEnv?: string;
  /** client-certificate: the PEM file (certificate and private key). */
  certificatePath?: string;
  /** workload-identity: the federated token file (default: $AZURE_FEDERATED_TOKEN_FILE). */
  tokenFilePath?: string;
}

export const SCOPE_KINDS = ["tenant", "managementGroups", "subscriptions"] as const;
export type ScopeKind = (typeof SCOPE_KINDS)[number];

export type TargetScope =
  | { kind: "tenant" }
  /** Resource Graph `managementGroups` scope: the subscriptions below these groups. */
  | { kind: "managementGroups"; managementGroups: string[] }
  | { kind: "subscriptions"; subscriptions: string[] };

export interface ScanTarget {
  /** The tenant the credential signs in to (a GUID, lower-cased); one target per tenant. */
  tenantId: string;
  displayName: string;
  credential: CredentialRef;
  scope: TargetScope;
  /** Subscriptions never scanned, whatever the scope says (lower-cased GUIDs). */
  exclude: string[];
}

/** A target (form, API body or CLI config file) that cannot be used; `path` names the field. */
export class TargetInputError extends InputError {
  constructor(path: string, problem: string) {
    super("target", path, problem);
  }
}

const GUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const ENV_NAME = /^[A-Za-z_][A-Za-z0-9_]{0,127}$/;
/** Management group IDs: letters, digits, `-`, `_`, `.`, `(`, `)`; at most 90 (ARM's rule). */
const GROUP_NAME = /^[A-Za-z0-9_\-.()]{1,90}$/;
const CONTROL_CHARS = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u200b-\u200f\u202a-\u202e\u2066-\u2069]/;
const MAX_LIST = 1000;
const TARGET_FIELDS = new Set(["tenantId", "displayName", "credential", "scope", "exclude"]);
const CREDENTIAL_FIELDS = new Set(["kind", "clientId", "secretEnv", "certificatePath", "tokenFilePath"]);
/** Fields that would hold a secret itself: refused with a pointer to the reference to use instead. */
const SECRET_FIELDS = new Set(["secret", "clientsecret", "password", "certificate", "privatekey", "token", "value"]);

function fail(path: string, message: string): never {
  throw new TargetInputError(path, message);
}

function text(value: unknown, path: string, opts: { max: number; required: boolean }): string | undefined {
  if (value === undefined || value === null || (typeof value === "string" && value.trim() === "")) {
    if (opts.required) fail(path, "is required");
    return undefined;
  }
  if (typeof value !== "string") fail(path, `expected a string, got ${typeof value}`);
  const v = value.trim();
  if (v.length > opts.max) fail(path, `at most ${opts.max} characters`);
  if (CONTROL_CHARS.test(v)) fail(path, "contains control or invisible formatting characters");
  return v;
}

function guid(value: unknown, path: string, required = true): string | undefined {
  const v = text(value, path, { max: 64, required });
  if (v === undefined) return undefined;
  if (!GUID.test(v)) fail(path, `${JSON.stringify(v)} is not a GUID (xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx)`);
  return v.toLowerCase();
}

function filePath(value: unknown, path: string, required: boolean): string | undefined {
  const v = text(value, path, { max: 1024, required });
  if (v === undefined) return undefined;
  if (!v.startsWith("/") && !/^[A-Za-z]:[\\/]/.test(v)) fail(path, `must be an absolute path, got ${JSON.stringify(v)}`);
  return v;
}

/** A list given as an array or as text separated by commas, spaces or new lines. */
function list(value: unknown, path: string): string[] {
  if (value === undefined || value === null) return [];
  const items = typeof value === "string" ? value.split(/[\s,]+/) : Array.isArray(value) ? value : fail(path, "expected a list");
  const out: string[] = [];
  items.forEach((item, i) => {
    if (typeof item !== "string") fail(`${path}[${i}]`, `expected a string, got ${typeof item}`);
    if (item.trim() !== "") out.push(item.trim());
  });
  if (out.length > MAX_LIST) fail(path, `at most ${MAX_LIST} entries`);
  return out;
}

function unique(values: string[], path: string): string[] {
  const seen = new Set<string>();
  for (const v of values) {
    if (seen.has(v.toLowerCase())) fail(path, `${JSON.stringify(v)} is listed twice`);
    seen.add(v.toLowerCase());
  }
  return values;
}

function object(value: unknown, path: string): Record<string, unknown> {
  if (!value || typeof value !== "object" || Array.isArray(value)) fail(path, "expected an object");
  return value as Record<string, unknown>;
}

function noUnknownFields(o: Record<string, unknown>, known: Set<string>, path: string): void {
  for (const k of Object.keys(o)) {
    if (SECRET_FIELDS.has(k.toLowerCase()))
      fail(`${path}.${k}`, "a secret is never stored; give secretEnv (the environment variable holding it) or certificatePath instead");
    if (!known.has(k)) fail(`${path}.${k}`, `unknown field; expected ${[...known].join(", ")}`);
  }
}

export function parseCredential(value: unknown, path = "credential"): CredentialRef {
  const o = object(value, path);
  noUnknownFields(o, CREDENTIAL_FIELDS, path);
  const kind = text(o.kind, `${path}.kind`, { max: 40, required: true })!;
  if (!(CREDENTIAL_KINDS as readonly string[]).includes(kind))
    fail(`${path}.kind`, `unknown kind ${JSON.stringify(kind)}; expected one of ${CREDENTIAL_KINDS.join(", ")}`);
  const k = kind as CredentialKind;
  const needsClient = k === "client-secret" || k === "client-certificate" || k === "workload-identity";
  const clientId = k === "azure-cli" ? undefined : guid(o.clientId, `${path}.clientId`, needsClient);
  const out: CredentialRef = { kind: k, ...(clientId ? { clientId } : {}) };
  const only = (field: "secretEnv" | "certificatePath" | "tokenFilePath", allowedFor: CredentialKind) => {
    if (k !== allowedFor && o[field] !== undefined && o[field] !== null && o[field] !== "") fail(`${path}.${field}`, `only applies to ${allowedFor}`);
  };
  only("secretEnv", "client-secret");
  only("certificatePath", "client-certificate");
  only("tokenFilePath", "workload-identity");
  if (k === "azure-cli" && o.clientId !== undefined && o.clientId !== null && o.clientId !== "") fail(`${path}.clientId`, "does not apply to azure-cli");
  if (k === "client-secret") {
    const env = text(o.secretEnv, `${path}.secretEnv`, { max: 128, required: true })!;
    if (!ENV_NAME.test(env))
      fail(`${path}.secretEnv`, `${JSON.stringify(env)} is not an environment variable name (letters, digits, _; not starting with a digit)`);
    out.secretEnv = env;
  }
  if (k === "client-certificate") out.certificatePath = filePath(o.certificatePath, `${path}.certificatePath`, true);
  if (k === "workload-identity") {
    const file = filePath(o.tokenFilePath, `${path}.tokenFilePath`, false);
    if (file) out.tokenFilePath = file;
  }
  return out;
}

export function parseScope(value: unknown, path = "scope"): TargetScope {
  const o = value === undefined || value === null ? { kind: "tenant" } : object(value, path);
  const kind = text(o.kind, `${path}.kind`, { max: 40, required: true })!;
  if (kind === "tenant") {
    noUnknownFields(o, new Set(["kind"]), path);
    return { kind };
  }
  if (kind === "managementGroups") {
    noUnknownFields(o, new Set(["kind", "managementGroups"]), path);
    const groups = unique(list(o.managementGroups, `${path}.managementGroups`), `${path}.managementGroups`);
    if (groups.length === 0) fail(`${path}.managementGroups`, "name at least one management group");
    groups.forEach((g, i) => {
      if (!GROUP_NAME.test(g))
        fail(`${path}.managementGroups[${i}]`, `${JSON.stringify(g)} is not a management group ID (letters, digits, - _ . ( ); at most 90)`);
    });
    return { kind, managementGroups: groups };
  }
  if (kind === "subscriptions") {
    noUnknownFields(o, new Set(["kind", "subscriptions"]), path);
    const subs = list(o.subscriptions, `${path}.subscriptions`).map((s, i) => guid(s, `${path}.subscriptions[${i}]`)!);
    if (subs.length === 0) fail(`${path}.subscriptions`, "name at least one subscription");
    return { kind, subscriptions: unique(subs, `${path}.subscriptions`) };
  }
  fail(`${path}.kind`, `unknown scope ${JSON.stringify(kind)}; expected one of ${SCOPE_KINDS.join(", ")}`);
}

/** One target from untrusted input (a form, an API body, a config file), or a TargetInputError naming the field. */
export function parseTarget(value: unknown, path = "target"): ScanTarget {
  const o = object(value, path);
  noUnknownFields(o, TARGET_FIELDS, path);
  const tenantId = guid(o.tenantId, `${path}.tenantId`)!;
  const displayName = text(o.displayName, `${path}.displayName`, { max: 100, required: true })!;
  const credential = parseCredential(o.credential, `${path}.credential`);
  const scope = parseScope(o.scope, `${path}.scope`);
  const exclude = unique(
    list(o.exclude, `${path}.exclude`).map((s, i) => guid(s, `${path}.exclude[${i}]`)!),
    `${path}.exclude`,
  );
  if (scope.kind === "subscriptions") {
    const excluded = new Set(exclude);
    if (scope.subscriptions.every((s) => excluded.has(s))) fail(`${path}.exclude`, "excludes every listed subscription: nothing would be scanned");
  }
  return { tenantId, displayName, credential, scope, exclude };
}

/** A list of targets (a CLI config file's `targets`): each valid, one per tenant. */
export function parseTargets(value: unknown, path = "targets"): ScanTarget[] {
  if (!Array.isArray(value)) fail(path, "expected a list of targets");
  const targets = value.map((t, i) => parseTarget(t, `${path}[${i}]`));
  const seen = new Set<string>();
  targets.forEach((t, i) => {
    if (seen.has(t.tenantId)) fail(`${path}[${i}].tenantId`, `tenant ${t.tenantId} has two targets; give one target per tenant`);
    seen.add(t.tenantId);
  });
  return targets;
}

/** The scope as one line for tables and audit entries. */
export function describeScope(scope: TargetScope, exclude: readonly string[] = []): string {
  const base =
    scope.kind === "tenant"
      ? "all subscriptions"
      : scope.kind === "managementGroups"
        ? `management groups ${scope.managementGroups.join(", ")}`
        : `${scope.subscriptions.length} listed subscription${scope.subscriptions.length === 1 ? "" : "s"}`;
  return exclude.length ? `${base}, excluding ${exclude.length}` : base;
}
