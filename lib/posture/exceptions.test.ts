import { describe, expect, it } from "vitest";
import { evaluateSnapshot } from "./evaluate";
import {
  applyExceptions,
  expiryInstant,
  ExceptionsInputError,
  isExpired,
  matches,
  parseExceptions,
  parseExceptionsText,
  parseNewExceptionRule,
  tagsByName,
  type ExceptionRule,
} from "./exceptions";
import { ACCOUNT_ID, account, OTHER_SUB, snapshot, SUB } from "./testing/fixtures";

const base = { owner: "alice@contoso.com", reason: "Custom neural voice needs the firewall open", expiresAt: "2026-12-31" };

function problem(input: unknown): ExceptionsInputError {
  try {
    if (typeof input === "string") parseExceptionsText(input);
    else parseExceptions(input);
  } catch (error) {
    expect(error).toBeInstanceOf(ExceptionsInputError);
    return error as ExceptionsInputError;
  }
  throw new Error("expected an ExceptionsInputError");
}

describe("parseExceptions", () => {
  it("reads { exceptions: [...] } and a bare array, canonicalising the control ID", () => {
    const rule = { id: "ex-1", controlId: "net-3", ...base, createdBy: "alice", createdAt: "2026-11-01T09:00:00Z" };
    expect(parseExceptionsText(JSON.stringify({ exceptions: [rule] }))).toEqual([{ ...rule, controlId: "NET-3" }]);
    expect(parseExceptions([rule])[0].controlId).toBe("NET-3");
  });

  it("refuses an unscoped rule", () => {
    const error = problem({ exceptions: [{ id: "ex-1", ...base }] });
    expect(error.path).toBe("exceptions[0]");
    expect(error.message).toContain("an exception needs a scope");
  });

  it.each<[string, Record<string, unknown>, string, string]>([
    ["missing owner", { id: "a", controlId: "IAM-1", reason: "r", expiresAt: "2026-12-31" }, "[0].owner", "missing"],
    ["blank reason", { id: "a", controlId: "IAM-1", ...base, reason: " " }, "[0].reason", "expected a non-empty string, got an empty string"],
    ["missing expiry", { id: "a", controlId: "IAM-1", owner: "o", reason: "r" }, "[0].expiresAt", "missing"],
    ["an impossible date", { id: "a", controlId: "IAM-1", ...base, expiresAt: "2026-02-30" }, "[0].expiresAt", "expected an ISO date"],
    ["a date-time without time zone", { id: "a", controlId: "IAM-1", ...base, expiresAt: "2026-12-31T18:00:00" }, "[0].expiresAt", "expected an ISO date"],
    ["free text expiry", { id: "a", controlId: "IAM-1", ...base, expiresAt: "next year" }, "[0].expiresAt", "expected an ISO date"],
    ["an unknown control", { id: "a", controlId: "IAM-9", ...base }, "[0].controlId", 'unknown control "IAM-9"'],
    ["a tag without value", { id: "a", tag: { name: "env" }, ...base }, "[0].tag.value", "expected a string"],
    ["a numeric id", { id: 7, controlId: "IAM-1", ...base }, "[0].id", "expected a non-empty string, got a number"],
  ])("%s", (_, rule, path, message) => {
    const error = problem([rule]);
    expect(error.path).toBe(path);
    expect(error.message).toContain(`${path}: ${message}`);
  });

  it("refuses duplicate rule IDs, a wrong top level and bad text", () => {
    expect(
      problem([
        { id: "a", controlId: "IAM-1", ...base },
        { id: "a", controlId: "IAM-2", ...base },
      ]).path,
    ).toBe("[1].id");
    expect(problem({ rules: [] }).message).toContain('expected { "exceptions": [...] }');
    expect(problem({ exceptions: {} }).path).toBe("exceptions");
    expect(problem("").message).toBe("exceptions: the file is empty");
  });
});

describe("expiry", () => {
  it("keeps a date-only rule active through the whole day (UTC)", () => {
    const rule = { id: "a", controlId: "IAM-1", ...base, expiresAt: "2026-12-31" } as ExceptionRule;
    expect(isExpired(rule, new Date("2026-12-31T23:59:59.999Z"))).toBe(false);
    expect(isExpired(rule, new Date("2027-01-01T00:00:00.000Z"))).toBe(true);
  });

  it("expires a date-time rule at that instant, honouring the offset", () => {
    const rule = { id: "a", controlId: "IAM-1", ...base, expiresAt: "2026-12-31T18:00:00+02:00" } as ExceptionRule;
    expect(isExpired(rule, new Date("2026-12-31T15:59:59.999Z"))).toBe(false);
    expect(isExpired(rule, new Date("2026-12-31T16:00:00.000Z"))).toBe(true);
    expect(expiryInstant("2026-12-31T16:00:00.5Z")).toBe(Date.parse("2026-12-31T16:00:00.500Z"));
  });
});

describe("applyExceptions", () => {
  const other = ACCOUNT_ID.replace("speech-prod-01", "speech-dev-01");
  const otherSubAccount = ACCOUNT_ID.replace(SUB, OTHER_SUB).replace("speech-prod-01", "speech-other");
  const evaluation = evaluateSnapshot(
    snapshot({
      resources: [
        account(),
        account({}, { id: other, name: "speech-dev-01", tags: { Environment: "Dev" } }),
        account({}, { id: otherSubAccount, name: "speech-other", tags: {} }),
      ],
      subscriptions: [SUB, OTHER_SUB],
    }),
  );
  const now = new Date("2026-11-28T12:00:00Z");
  const muted = (rules: ExceptionRule[], at = now) =>
    applyExceptions(evaluation.findings, evaluation.resources, rules, at)
      .findings.filter((f) => f.muted)
      .map((f) => `${f.resourceId.split("/").pop()}:${f.controlId}`);
  let next = 0;
  const rule = (scope: Partial<ExceptionRule>, expiresAt = "2026-12-31"): ExceptionRule => ({ id: `r-${++next}`, ...base, expiresAt, ...scope });

  it("mutes only findings every scope field matches, without changing status", () => {
    const result = applyExceptions(evaluation.findings, evaluation.resources, [rule({ controlId: "IAM-1", resourceId: ACCOUNT_ID.toUpperCase() })], now);
    const changed = result.findings.filter((f, i) => f !== evaluation.findings[i]);
    expect(changed).toHaveLength(1);
    expect(changed[0]).toMatchObject({ controlId: "IAM-1", resourceId: ACCOUNT_ID, muted: true, status: "fail" });
    expect(evaluation.findings.some((f) => f.muted)).toBe(false);
  });

  it("scopes by subscription (case-insensitive) and by control across resources", () => {
    expect(muted([rule({ subscriptionId: OTHER_SUB.toUpperCase(), controlId: "NET-4" })])).toEqual(["speech-other:NET-4"]);
    expect(muted([rule({ controlId: "NET-4" })])).toEqual(["speech-prod-01:NET-4", "speech-dev-01:NET-4", "speech-other:NET-4"]);
  });

  it("scopes by tenant through each subscription's tenant, and mutes nothing whose tenant is not known", () => {
    const T1 = "11111111-1111-4111-8111-111111111111";
    const tenantOf = (id: string) => (id.toLowerCase() === OTHER_SUB.toLowerCase() ? T1 : "22222222-2222-4222-8222-222222222222");
    const byTenant = (rules: ExceptionRule[], of?: (id: string) => string | undefined) =>
      applyExceptions(evaluation.findings, evaluation.resources, rules, now, of)
        .findings.filter((f) => f.muted)
        .map((f) => `${f.resourceId.split("/").pop()}:${f.controlId}`);
    expect(byTenant([rule({ tenantId: T1, controlId: "NET-4" })], tenantOf)).toEqual(["speech-other:NET-4"]);
    expect(byTenant([rule({ tenantId: T1 })], tenantOf).every((k) => k.startsWith("speech-other:"))).toBe(true);
    expect(byTenant([rule({ tenantId: T1, controlId: "NET-4" })])).toEqual([]);
    // A resource-scoped rule is more specific than a tenant-scoped one, which is more specific than a control-wide one.
    const [wide, tenant, resource] = [rule({ controlId: "NET-4" }), rule({ tenantId: T1, controlId: "NET-4" }), rule({ resourceId: otherSubAccount })];
    const found = applyExceptions(evaluation.findings, evaluation.resources, [wide, tenant, resource], now, tenantOf).findings;
    const net4 = (id: string) => found.find((f) => f.resourceId === id && f.controlId === "NET-4")!;
    expect(net4(otherSubAccount).exception?.id).toBe(resource.id);
    expect(
      applyExceptions(evaluation.findings, evaluation.resources, [wide, tenant], now, tenantOf).findings.find(
        (f) => f.resourceId === otherSubAccount && f.controlId === "NET-4",
      )?.exception?.id,
    ).toBe(tenant.id);
    expect(net4(ACCOUNT_ID).exception?.id).toBe(wide.id);
  });

  it("scopes by tag: name case-insensitive, value exact", () => {
    expect(muted([rule({ tag: { name: "environment", value: "Dev" }, controlId: "IAM-3" })])).toEqual(["speech-dev-01:IAM-3"]);
    expect(muted([rule({ tag: { name: "Environment", value: "dev" }, controlId: "IAM-3" })])).toEqual([]);
    expect(muted([rule({ tag: { name: "constructor", value: "function Object() { [native code] }" } })])).toEqual([]);
  });

  it("reports expired rules and no longer mutes with them", () => {
    const expired = rule({ controlId: "IAM-1" }, "2026-11-27");
    const active = rule({ controlId: "NET-4", resourceId: ACCOUNT_ID });
    const result = applyExceptions(evaluation.findings, evaluation.resources, [expired, active], now);
    expect(result.expired).toEqual([expired]);
    expect(result.active).toEqual([active]);
    expect(result.findings.filter((f) => f.muted).map((f) => f.controlId)).toEqual(["NET-4"]);
  });

  it("mutes nothing at the exact expiry instant", () => {
    const r = rule({ controlId: "IAM-1" }, "2026-11-28T12:00:00Z");
    expect(muted([r], new Date("2026-11-28T11:59:59.999Z"))).toHaveLength(3);
    expect(muted([r], now)).toEqual([]);
  });
});

describe("parseNewExceptionRule", () => {
  it("reads what a person states about a new rule, without an ID or creator", () => {
    expect(parseNewExceptionRule({ controlId: "iam-1", resourceId: " /x/Y ", tag: { name: " Env ", value: "prod " }, ...base })).toEqual({
      controlId: "IAM-1",
      resourceId: "/x/Y",
      tag: { name: "Env", value: "prod " },
      ...base,
    });
  });
  it("names the field at fault", () => {
    const at = (value: unknown) => {
      try {
        parseNewExceptionRule(value);
      } catch (error) {
        expect(error).toBeInstanceOf(ExceptionsInputError);
        return [(error as ExceptionsInputError).path, (error as ExceptionsInputError).problem];
      }
      return "accepted";
    };
    expect(at({ ...base })).toEqual(["", expect.stringContaining("an exception needs a scope")]);
    expect(at({ ...base, controlId: "NOPE-1" })[0]).toBe("controlId");
    expect(at({ ...base, controlId: "IAM-1", expiresAt: "2099-02-30" })[0]).toBe("expiresAt");
    expect(at({ ...base, tag: { value: "x" } })[0]).toBe("tag.name");
    expect(at({ controlId: "IAM-1", reason: "r", expiresAt: "2099-01-01" })).toEqual(["owner", "missing"]);
    expect(at({ ...base, tenantId: "contoso.onmicrosoft.com" })).toEqual(["tenantId", 'expected a tenant ID (a GUID), got "contoso.onmicrosoft.com"']);
    expect(parseNewExceptionRule({ ...base, tenantId: " AAAAAAAA-BBBB-4CCC-8DDD-EEEEEEEEEEEE " })).toEqual({
      ...base,
      tenantId: "aaaaaaaa-bbbb-4ccc-8ddd-eeeeeeeeeeee",
    });
  });
});

describe("matches", () => {
  const subject = {
    controlId: "IAM-1",
    subscriptionKey: SUB,
    resourceKey: ACCOUNT_ID.toLowerCase(),
    tags: tagsByName({ Env: "prod", constructor: 3 as unknown as string }),
  };
  const rule = (scope: Partial<ExceptionRule>): ExceptionRule => ({ id: "r", ...base, ...scope });
  it("needs every scope field it sets: IDs and control ignoring case and a trailing slash, tag names ignoring case, values exactly", () => {
    expect(matches(rule({ controlId: "iam-1" as ExceptionRule["controlId"] }), subject)).toBe(true);
    expect(matches(rule({ controlId: "IAM-2" }), subject)).toBe(false);
    expect(matches(rule({ resourceId: `${ACCOUNT_ID.toUpperCase()}/` }), subject)).toBe(true);
    expect(matches(rule({ resourceId: ACCOUNT_ID, subscriptionId: OTHER_SUB }), subject)).toBe(false);
    expect(matches(rule({ subscriptionId: ` ${SUB.toUpperCase()} ` }), subject)).toBe(true);
    expect(matches(rule({ tag: { name: "ENV", value: "prod" } }), subject)).toBe(true);
    expect(matches(rule({ tag: { name: "env", value: "Prod" } }), subject)).toBe(false);
    expect(matches(rule({ tag: { name: "constructor", value: "3" } }), subject)).toBe(false);
    expect(matches(rule({ controlId: "IAM-1", tag: { name: "env", value: "prod" } }), { ...subject, tags: undefined })).toBe(false);
  });
});
