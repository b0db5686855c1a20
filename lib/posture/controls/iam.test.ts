import { describe, expect, it } from "vitest";
import { ACCOUNT_ID, account, judge, linking, OTHER_SUB, storage, storageId } from "@/lib/posture/testing/fixtures";

const ST = storageId("stspeechdev01");

describe("IAM-1 local authentication", () => {
  it.each([
    [true, "pass"],
    [false, "fail"],
    [undefined, "fail"],
    [null, "fail"],
  ])("disableLocalAuth %s → %s", (value, status) => {
    expect(judge("IAM-1", { resources: [account({ disableLocalAuth: value })] }).status).toBe(status);
  });

  it("explains the failure and points at the property", () => {
    const f = judge("IAM-1", { resources: [account()] });
    expect(f.message).toBe("speech-prod-01 still accepts API keys (disableLocalAuth is not true).");
    expect(f.evidence).toEqual([{ path: `account:${ACCOUNT_ID} properties.disableLocalAuth`, actual: null, expected: true }]);
  });
});

describe("IAM-2 storage shared key", () => {
  it.each([
    ["false", false, "pass"],
    ["true", true, "fail"],
    ["null (means allowed)", null, "fail"],
    ["absent (means allowed)", undefined, "fail"],
  ])("allowSharedKeyAccess %s → %s", (_, value, status) => {
    const resources = [account(linking(ST)), storage("stspeechdev01", { allowSharedKeyAccess: value })];
    expect(judge("IAM-2", { resources }).status).toBe(status);
  });

  it("names the storage account in plain words", () => {
    const f = judge("IAM-2", { resources: [account(linking(ST)), storage("stspeechdev01", { allowSharedKeyAccess: null })] });
    expect(f.message).toBe("Linked storage account stspeechdev01 still accepts shared-key requests (allowSharedKeyAccess is not false).");
    expect(f.evidence).toEqual([{ path: `storage:${ST} properties.allowSharedKeyAccess`, actual: null, expected: false }]);
  });

  it("combines several storage accounts: fail, else not_visible, else pass", () => {
    const ok = storage("stok");
    const weak = storage("stweak", { allowSharedKeyAccess: true });
    const hidden = storageId("sthidden", OTHER_SUB);
    expect(judge("IAM-2", { resources: [account(linking(ok.id, weak.id, hidden)), ok, weak] })).toMatchObject({ status: "fail", reason: null });
    expect(judge("IAM-2", { resources: [account(linking(ok.id, hidden)), ok] })).toMatchObject({ status: "unknown", reason: "not_visible" });
    const both = judge("IAM-2", { resources: [account(linking(ok.id, storage("stok2").id)), ok, storage("stok2")] });
    expect(both).toMatchObject({ status: "pass", message: "Linked storage accounts stok and stok2 refuse shared-key requests." });
  });

  it("is not applicable without BYOS", () => {
    expect(judge("IAM-2", { resources: [account()] }).status).toBe("not_applicable");
  });
});

describe("IAM-3 managed identity", () => {
  it.each([
    ["SystemAssigned", { type: "SystemAssigned" }, "pass"],
    ["UserAssigned", { type: "UserAssigned" }, "pass"],
    ["SystemAssigned, UserAssigned", { type: "SystemAssigned, UserAssigned" }, "pass"],
    ["None", { type: "None" }, "fail"],
    ["none (any casing)", { type: "none" }, "fail"],
    ["blank type", { type: "" }, "fail"],
    ["no identity", null, "fail"],
  ])("identity %s → %s", (_, identity, status) => {
    expect(judge("IAM-3", { resources: [account({}, { identity })] }).status).toBe(status);
  });
});
