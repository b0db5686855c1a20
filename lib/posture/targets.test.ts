import { describe, expect, it } from "vitest";
import { describeScope, parseTarget, parseTargets, TargetInputError } from "./targets";

const TENANT = "72F988BF-86F1-41AF-91AB-2D7CD011DB47";
const CLIENT = "0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f";
const SUB_A = "11111111-2222-4333-8444-555555555555";
const SUB_B = "66666666-7777-4888-9999-aaaaaaaaaaaa";

const base = () => ({
  tenantId: TENANT,
  displayName: "  Contoso  ",
  credential: { kind: "client-secret", clientId: CLIENT, secretEnv: "CONTOSO_SECRET" },
});

function problem(value: unknown): { path: string; problem: string } {
  try {
    parseTarget(value);
  } catch (error) {
    expect(error).toBeInstanceOf(TargetInputError);
    return { path: (error as TargetInputError).path, problem: (error as TargetInputError).problem };
  }
  throw new Error("expected the target to be refused");
}

describe("parseTarget", () => {
  it("normalises a valid target: lower-cased GUIDs, trimmed name, the whole tenant by default, no exclusions", () => {
    expect(parseTarget(base())).toEqual({
      tenantId: TENANT.toLowerCase(),
      displayName: "Contoso",
      credential: { kind: "client-secret", clientId: CLIENT, secretEnv: "CONTOSO_SECRET" },
      scope: { kind: "tenant" },
      exclude: [],
    });
  });

  it("reads management groups and subscriptions from lists or comma/space separated text", () => {
    expect(parseTarget({ ...base(), scope: { kind: "managementGroups", managementGroups: "mg-corp, mg-online" } }).scope).toEqual({
      kind: "managementGroups",
      managementGroups: ["mg-corp", "mg-online"],
    });
    const t = parseTarget({ ...base(), scope: { kind: "subscriptions", subscriptions: [SUB_A, SUB_B.toUpperCase()] }, exclude: `${SUB_A}\n` });
    expect(t.scope).toEqual({ kind: "subscriptions", subscriptions: [SUB_A, SUB_B] });
    expect(t.exclude).toEqual([SUB_A]);
    expect(describeScope(t.scope, t.exclude)).toBe("2 listed subscriptions, excluding 1");
  });

  it("keeps only references for each credential kind, and checks each reference", () => {
    expect(parseTarget({ ...base(), credential: { kind: "client-certificate", clientId: CLIENT, certificatePath: "/etc/sp/cert.pem" } }).credential).toEqual({
      kind: "client-certificate",
      clientId: CLIENT,
      certificatePath: "/etc/sp/cert.pem",
    });
    expect(parseTarget({ ...base(), credential: { kind: "managed-identity" } }).credential).toEqual({ kind: "managed-identity" });
    expect(parseTarget({ ...base(), credential: { kind: "azure-cli" } }).credential).toEqual({ kind: "azure-cli" });
    expect(parseTarget({ ...base(), credential: { kind: "workload-identity", clientId: CLIENT } }).credential).toEqual({
      kind: "workload-identity",
      clientId: CLIENT,
    });
    expect(problem({ ...base(), credential: { kind: "client-certificate", clientId: CLIENT, certificatePath: "cert.pem" } })).toEqual({
      path: "target.credential.certificatePath",
      problem: 'must be an absolute path, got "cert.pem"',
    });
    expect(problem({ ...base(), credential: { kind: "client-secret", clientId: CLIENT, secretEnv: "1BAD-NAME" } }).path).toBe("target.credential.secretEnv");
    expect(problem({ ...base(), credential: { kind: "client-secret", clientId: CLIENT } })).toEqual({
      path: "target.credential.secretEnv",
      problem: "is required",
    });
    expect(problem({ ...base(), credential: { kind: "azure-cli", secretEnv: "X" } })).toEqual({
      path: "target.credential.secretEnv",
      problem: "only applies to client-secret",
    });
  });

  it("refuses a secret itself, naming the reference to give instead", () => {
    const p = problem({ ...base(), credential: { kind: "client-secret", clientId: CLIENT, clientSecret: "hunter2" } });
    expect(p.path).toBe("target.credential.clientSecret");
    expect(p.problem).toContain("a secret is never stored");
  });

  it("names the field of every other problem", () => {
    expect(problem({ ...base(), tenantId: "contoso.onmicrosoft.com" }).path).toBe("target.tenantId");
    expect(problem({ ...base(), displayName: "" })).toEqual({ path: "target.displayName", problem: "is required" });
    expect(problem({ ...base(), displayName: "a\u202eb" }).problem).toContain("invisible");
    expect(problem({ ...base(), credential: { kind: "password" } }).path).toBe("target.credential.kind");
    expect(problem({ ...base(), scope: { kind: "managementGroups", managementGroups: [] } }).path).toBe("target.scope.managementGroups");
    expect(problem({ ...base(), scope: { kind: "managementGroups", managementGroups: ["mg/evil"] } }).path).toBe("target.scope.managementGroups[0]");
    expect(problem({ ...base(), scope: { kind: "subscriptions", subscriptions: [SUB_A, SUB_A] } }).problem).toContain("listed twice");
    expect(problem({ ...base(), scope: { kind: "subscriptions", subscriptions: [SUB_A] }, exclude: [SUB_A] }).path).toBe("target.exclude");
    expect(problem({ ...base(), exclude: ["not-a-guid"] }).path).toBe("target.exclude[0]");
    expect(problem({ ...base(), colour: "blue" }).path).toBe("target.colour");
  });

  it("takes one target per tenant in a list", () => {
    expect(() => parseTargets([base(), base()])).toThrow("targets[1].tenantId: tenant 72f988bf-86f1-41af-91ab-2d7cd011db47 has two targets");
    expect(() => parseTargets({})).toThrow("targets: expected a list of targets");
  });
});
