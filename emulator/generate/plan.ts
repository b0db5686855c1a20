/**
 * Posture plans: what each generated Speech account looks like, decided before any document
 * is built. Random plans give the realistic mix; the showcase list pins one account to every
 * pitfall so even the small demo tenant contains each of them.
 */
import type { Random } from "@/emulator/random";

export type SpeechKind = "SpeechServices" | "AIServices" | "CognitiveServices";
export type VaultChoice = "protected" | "no-purge" | "soft-delete-off" | "hidden" | "missing-uri";
export type UriStyle = "slash" | "no-slash" | "upper";
export type LinkMode =
  "none" | "empty-array" | "empty-resourceid" | "same-rg" | "cased-id" | "other-subscription" | "hidden-subscription" | "dangling" | "two-linked";
export type RoleMode = "storage" | "resource-group" | "subscription" | "management-group" | "missing" | "sibling" | "other-principal" | "wrong-role";
/** A network security perimeter association's access mode, or `hidden`: associated with a perimeter the caller cannot see. */
export type PerimeterMode = "Enforced" | "Learning" | "Audit" | "hidden";
export type DiagKind =
  "audit-workspace" | "alllogs-storage" | "audit-group-eventhub" | "audit-partner" | "no-destination" | "disabled" | "requestresponse-only" | "metrics-only";
export type IdentityMode = "absent" | "None" | "SystemAssigned" | "SystemAssigned, UserAssigned" | "UserAssigned";

export interface StoragePlan {
  /** `Microsoft.Storage` or one of the Key Vault spellings seen in the wild. */
  keySource: string;
  keyVersion: "absent" | "empty" | "pinned";
  vault: VaultChoice;
  uriStyle: UriStyle;
  sharedKey: boolean | null;
  infrastructureEncryption: boolean | null;
  /** `perimeter`: `publicNetworkAccess: SecuredByPerimeter`, associated with the account's perimeter. */
  network: "disabled" | "deny" | "allow" | "absent" | "perimeter";
}

export interface AccountPlan {
  kind: SpeechKind;
  link: LinkMode;
  storage: StoragePlan;
  /** Only for `two-linked`: how the second storage account differs. */
  secondStorage?: Partial<StoragePlan>;
  role: RoleMode;
  cmk: "none" | "cognitive-explicit" | "keyvault" | "keyvault-no-keyname";
  cmkKeyVersion: "absent" | "empty" | "pinned";
  cmkVault: VaultChoice;
  cmkUriStyle: UriStyle;
  publicNetworkAccess: "Enabled" | "Disabled" | "SecuredByPerimeter" | "absent";
  /** Set with `SecuredByPerimeter`: how the account (and a `perimeter` storage account) is associated. */
  perimeter?: PerimeterMode;
  defaultAction: "Allow" | "Deny" | "absent";
  ipRules: number;
  privateEndpoints: ("Approved" | "Pending" | "Rejected")[];
  disableLocalAuth: boolean | "absent";
  identity: IdentityMode;
  restrictOutbound: boolean | "absent";
  subdomain: boolean;
  /** One entry per custom endpoint: its `properties.loggingEnabled` (or absent). */
  endpoints: (boolean | "absent")[];
  diagnostics: DiagKind[];
}

const HARDENED_STORAGE: StoragePlan = {
  keySource: "Microsoft.Keyvault",
  keyVersion: "absent",
  vault: "protected",
  uriStyle: "slash",
  sharedKey: false,
  infrastructureEncryption: true,
  network: "deny",
};

/** Near-perfect posture; showcase entries and the hardened tier start here. */
export function hardenedPlan(kind: SpeechKind = "SpeechServices"): AccountPlan {
  return {
    kind,
    link: "same-rg",
    storage: { ...HARDENED_STORAGE },
    role: "storage",
    cmk: "keyvault",
    cmkKeyVersion: "empty",
    cmkVault: "protected",
    cmkUriStyle: "slash",
    publicNetworkAccess: "Disabled",
    defaultAction: "Deny",
    ipRules: 0,
    privateEndpoints: ["Approved"],
    disableLocalAuth: true,
    identity: "SystemAssigned",
    restrictOutbound: true,
    subdomain: true,
    endpoints: [true, false],
    diagnostics: ["audit-workspace"],
  };
}

/** The resource nobody has looked at since 2019. */
export function legacyPlan(kind: SpeechKind = "SpeechServices"): AccountPlan {
  return {
    kind,
    link: "none",
    storage: { ...HARDENED_STORAGE },
    role: "missing",
    cmk: "none",
    cmkKeyVersion: "absent",
    cmkVault: "protected",
    cmkUriStyle: "slash",
    publicNetworkAccess: "absent",
    defaultAction: "absent",
    ipRules: 0,
    privateEndpoints: [],
    disableLocalAuth: "absent",
    identity: "absent",
    restrictOutbound: "absent",
    subdomain: false,
    endpoints: [],
    diagnostics: [],
  };
}

type Showcase = { base: "hardened" | "legacy"; kind?: SpeechKind } & Partial<AccountPlan>;

const PERIMETER: Showcase = { base: "hardened", publicNetworkAccess: "SecuredByPerimeter", defaultAction: "Deny", privateEndpoints: [] };

/** Every pitfall once, in the first accounts of any tenant (order is part of determinism). */
export const SHOWCASE: readonly Showcase[] = [
  { base: "hardened" },
  {
    base: "hardened",
    kind: "AIServices",
    identity: "SystemAssigned, UserAssigned",
    role: "resource-group",
    publicNetworkAccess: "Enabled",
    defaultAction: "Deny",
    ipRules: 2,
    privateEndpoints: ["Approved", "Rejected"],
    storage: { ...HARDENED_STORAGE, keySource: "Microsoft.KeyVault", keyVersion: "empty", uriStyle: "upper", network: "disabled" },
    cmkUriStyle: "no-slash",
    diagnostics: ["alllogs-storage"],
  },
  { base: "legacy" },
  {
    base: "legacy",
    subdomain: true,
    endpoints: [true, "absent"],
    identity: "None",
    publicNetworkAccess: "Enabled",
    disableLocalAuth: false,
    diagnostics: ["no-destination"],
  },
  {
    base: "hardened",
    kind: "CognitiveServices",
    link: "cased-id",
    role: "subscription",
    storage: {
      keySource: "microsoft.keyvault",
      keyVersion: "pinned",
      vault: "no-purge",
      uriStyle: "no-slash",
      sharedKey: null,
      infrastructureEncryption: false,
      network: "allow",
    },
    privateEndpoints: ["Pending"],
    publicNetworkAccess: "Enabled",
    defaultAction: "absent",
    diagnostics: ["disabled"],
    cmk: "none",
    restrictOutbound: false,
  },
  { base: "hardened", link: "dangling", role: "missing", privateEndpoints: ["Rejected"], diagnostics: ["requestresponse-only"], endpoints: [false] },
  { base: "hardened", link: "hidden-subscription", cmkVault: "hidden", endpoints: [true], diagnostics: ["audit-group-eventhub"] },
  {
    base: "hardened",
    role: "sibling",
    cmk: "keyvault-no-keyname",
    storage: { ...HARDENED_STORAGE, sharedKey: true, vault: "soft-delete-off", network: "deny" },
  },
  {
    base: "hardened",
    kind: "AIServices",
    link: "other-subscription",
    storage: { ...HARDENED_STORAGE, keySource: "Microsoft.Storage", infrastructureEncryption: null, network: "absent" },
    diagnostics: ["metrics-only"],
  },
  { base: "hardened", link: "two-linked", secondStorage: { sharedKey: true, keyVersion: "pinned" }, diagnostics: ["audit-partner"] },
  { base: "legacy", link: "empty-array", cmk: "cognitive-explicit", identity: "UserAssigned", restrictOutbound: false, subdomain: true, endpoints: [] },
  { base: "legacy", link: "empty-resourceid", identity: "SystemAssigned, UserAssigned", subdomain: true, endpoints: [false, false] },
  { base: "hardened", identity: "UserAssigned", role: "storage", cmk: "none" },
  { base: "hardened", kind: "AIServices", role: "wrong-role", cmkKeyVersion: "pinned" },
  { base: "hardened", role: "other-principal", cmkKeyVersion: "absent", publicNetworkAccess: "absent", defaultAction: "Deny", ipRules: 1 },
  { base: "hardened", storage: { ...HARDENED_STORAGE, vault: "missing-uri" }, privateEndpoints: [], diagnostics: ["audit-workspace", "disabled"] },
  { base: "hardened", kind: "CognitiveServices", storage: { ...HARDENED_STORAGE, vault: "hidden" }, cmk: "none", endpoints: [] },
  // Appended (earlier entries keep their places): Storage Blob Data Contributor granted only at a management group.
  { base: "hardened", role: "management-group", diagnostics: ["audit-workspace"] },
  // Network security perimeters: the perimeter's access mode decides what `SecuredByPerimeter` means.
  { ...PERIMETER, perimeter: "Enforced", storage: { ...HARDENED_STORAGE, network: "perimeter" } },
  { ...PERIMETER, kind: "AIServices", perimeter: "Learning", storage: { ...HARDENED_STORAGE, network: "perimeter" } },
  { ...PERIMETER, perimeter: "Audit", storage: { ...HARDENED_STORAGE, network: "perimeter" } },
  { ...PERIMETER, perimeter: "hidden", link: "none", role: "missing" },
];

export function showcasePlan(index: number): AccountPlan | undefined {
  const entry = SHOWCASE[index];
  if (!entry) return undefined;
  const { base, kind, ...overrides } = entry;
  const plan = base === "hardened" ? hardenedPlan(kind) : legacyPlan(kind);
  return { ...plan, ...overrides };
}

const KINDS: readonly (readonly [SpeechKind, number])[] = [
  ["SpeechServices", 60],
  ["AIServices", 27],
  ["CognitiveServices", 13],
];

/** A random account from the realistic mix: some hardened, most in between, many neglected. */
export function randomPlan(rng: Random): AccountPlan {
  const kind = rng.weighted(KINDS);
  const tier = rng.weighted([
    ["hardened", 12],
    ["typical", 53],
    ["legacy", 35],
  ] as const);
  if (tier === "hardened") {
    const plan = hardenedPlan(kind);
    plan.link = rng.weighted([
      ["same-rg", 85],
      ["cased-id", 15],
    ] as const);
    plan.role = rng.weighted([
      ["storage", 70],
      ["resource-group", 20],
      ["subscription", 10],
    ] as const);
    plan.storage.keyVersion = rng.weighted([
      ["absent", 60],
      ["empty", 25],
      ["pinned", 15],
    ] as const);
    plan.storage.keySource = rng.weighted([
      ["Microsoft.Keyvault", 80],
      ["Microsoft.KeyVault", 20],
    ] as const);
    plan.storage.infrastructureEncryption = rng.chance(0.7);
    plan.cmk = rng.chance(0.6) ? "keyvault" : "none";
    plan.publicNetworkAccess = rng.chance(0.6) ? "Disabled" : "Enabled";
    plan.ipRules = plan.publicNetworkAccess === "Enabled" ? rng.int(0, 2) : 0;
    plan.identity = rng.chance(0.85) ? "SystemAssigned" : "SystemAssigned, UserAssigned";
    plan.restrictOutbound = rng.chance(0.7);
    plan.endpoints = randomEndpoints(rng, 0.5);
    plan.diagnostics = [rng.pick(["audit-workspace", "alllogs-storage", "audit-group-eventhub"] as const)];
    return plan;
  }
  if (tier === "legacy") {
    const plan = legacyPlan(kind);
    plan.link = rng.chance(0.03) ? "same-rg" : "none";
    plan.publicNetworkAccess = rng.chance(0.6) ? "absent" : "Enabled";
    plan.privateEndpoints = rng.chance(0.1) ? ["Pending"] : [];
    plan.disableLocalAuth = rng.chance(0.3) ? false : "absent";
    plan.identity = rng.chance(0.7) ? "absent" : "None";
    plan.subdomain = rng.chance(0.55);
    plan.endpoints = plan.subdomain ? randomEndpoints(rng, 0.45) : [];
    plan.diagnostics = rng.chance(0.7) ? [] : [rng.pick(["no-destination", "disabled", "requestresponse-only"] as const)];
    return plan;
  }
  return typicalPlan(rng, kind);
}

// Weight tables are built once: the generator draws from them hundreds of thousands of times.
const W = {
  identity: [
    ["SystemAssigned", 55],
    ["SystemAssigned, UserAssigned", 10],
    ["UserAssigned", 8],
    ["None", 7],
    ["absent", 20],
  ],
  pna: [
    ["Disabled", 25],
    ["Enabled", 40],
    ["absent", 35],
  ],
  byosLink: [
    ["same-rg", 55],
    ["cased-id", 15],
    ["other-subscription", 10],
    ["dangling", 5],
    ["hidden-subscription", 7],
    ["two-linked", 3],
  ],
  noLink: [
    ["none", 85],
    ["empty-array", 12],
    ["empty-resourceid", 3],
  ],
  keySource: [
    ["Microsoft.Storage", 45],
    ["Microsoft.Keyvault", 40],
    ["Microsoft.KeyVault", 10],
    ["microsoft.keyvault", 5],
  ],
  keyVersion: [
    ["absent", 45],
    ["empty", 20],
    ["pinned", 35],
  ],
  storageVault: [
    ["protected", 60],
    ["no-purge", 25],
    ["soft-delete-off", 8],
    ["hidden", 4],
    ["missing-uri", 3],
  ],
  uriStyle: [
    ["slash", 60],
    ["no-slash", 30],
    ["upper", 10],
  ],
  sharedKey: [
    [false, 40],
    [true, 30],
    [null, 30],
  ],
  infra: [
    [true, 25],
    [false, 35],
    [null, 40],
  ],
  storageNetwork: [
    ["disabled", 15],
    ["deny", 30],
    ["allow", 30],
    ["absent", 25],
  ],
  role: [
    ["storage", 35],
    ["resource-group", 15],
    ["subscription", 10],
    ["missing", 15],
    ["sibling", 8],
    ["other-principal", 7],
    ["wrong-role", 10],
  ],
  cmk: [
    ["none", 65],
    ["cognitive-explicit", 10],
    ["keyvault", 22],
    ["keyvault-no-keyname", 3],
  ],
  cmkKeyVersion: [
    ["absent", 30],
    ["empty", 40],
    ["pinned", 30],
  ],
  cmkVault: [
    ["protected", 65],
    ["no-purge", 25],
    ["soft-delete-off", 7],
    ["hidden", 3],
  ],
  defaultAction: [
    ["Allow", 40],
    ["Deny", 25],
    ["absent", 35],
  ],
  privateEndpoints: [
    [[], 45],
    [["Approved"], 30],
    [["Pending"], 12],
    [["Rejected"], 6],
    [["Approved", "Rejected"], 7],
  ],
  localAuth: [
    [true, 35],
    [false, 15],
    ["absent", 50],
  ],
  outbound: [
    [true, 15],
    [false, 25],
    ["absent", 60],
  ],
  diagnostics: [
    [[], 35],
    [["audit-workspace"], 25],
    [["alllogs-storage"], 10],
    [["audit-group-eventhub"], 5],
    [["no-destination"], 7],
    [["disabled"], 6],
    [["requestresponse-only"], 7],
    [["metrics-only"], 4],
    [["audit-workspace", "metrics-only"], 1],
  ],
  endpointCount: [
    [0, 68],
    [1, 18],
    [2, 8],
    [3, 4],
    [4, 2],
  ],
} as const;

function typicalPlan(rng: Random, kind: SpeechKind): AccountPlan {
  const byos = rng.chance(0.45);
  const identity = rng.weighted<IdentityMode>(W.identity);
  const pna = rng.weighted<AccountPlan["publicNetworkAccess"]>(W.pna);
  return {
    kind,
    link: byos ? rng.weighted<LinkMode>(W.byosLink) : rng.weighted<LinkMode>(W.noLink),
    storage: {
      keySource: rng.weighted<string>(W.keySource),
      keyVersion: rng.weighted<StoragePlan["keyVersion"]>(W.keyVersion),
      vault: rng.weighted<VaultChoice>(W.storageVault),
      uriStyle: rng.weighted<UriStyle>(W.uriStyle),
      sharedKey: rng.weighted<boolean | null>(W.sharedKey),
      infrastructureEncryption: rng.weighted<boolean | null>(W.infra),
      network: rng.weighted<StoragePlan["network"]>(W.storageNetwork),
    },
    role: rng.weighted<RoleMode>(W.role),
    cmk: rng.weighted<AccountPlan["cmk"]>(W.cmk),
    cmkKeyVersion: rng.weighted<AccountPlan["cmkKeyVersion"]>(W.cmkKeyVersion),
    cmkVault: rng.weighted<VaultChoice>(W.cmkVault),
    cmkUriStyle: rng.weighted<UriStyle>(W.uriStyle),
    publicNetworkAccess: pna,
    defaultAction: pna === "Disabled" ? "Deny" : rng.weighted<AccountPlan["defaultAction"]>(W.defaultAction),
    ipRules: rng.int(0, 3),
    privateEndpoints: rng.weighted<readonly AccountPlan["privateEndpoints"][number][]>(W.privateEndpoints).slice(),
    disableLocalAuth: rng.weighted<boolean | "absent">(W.localAuth),
    identity,
    restrictOutbound: rng.weighted<boolean | "absent">(W.outbound),
    subdomain: rng.chance(0.85),
    endpoints: randomEndpoints(rng, 0.4),
    diagnostics: rng.weighted<readonly DiagKind[]>(W.diagnostics).slice(),
  };
}

/** 0–4 custom endpoints; most accounts have none (custom speech is a minority use). */
function randomEndpoints(rng: Random, loggingShare: number): (boolean | "absent")[] {
  const count = rng.weighted<number>(W.endpointCount);
  const out: (boolean | "absent")[] = [];
  for (let i = 0; i < count; i++) out.push(rng.chance(0.05) ? "absent" : rng.chance(loggingShare));
  return out;
}
