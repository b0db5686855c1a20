/** Alert rules in the store: parsed by lib/alerts before they are written, audited, listed in creation order. */
import { randomBytes } from "node:crypto";
import { AlertInputError, parseAlertRule, type AlertCondition, type AlertRule } from "@/lib/alerts/rules";
import { recordAudit } from "@/lib/store/audit";
import { InvalidInputError, NotFoundError } from "@/lib/store/errors";
import { nowIso, type Store } from "@/lib/store/store";

export interface StoredAlertRule extends AlertRule {
  createdBy: string;
  createdAt: string;
}

export async function createAlertRule(store: Store, body: unknown, actor: string): Promise<StoredAlertRule> {
  const id = randomBytes(8).toString("hex");
  await store.db.transaction().execute(async (trx) => {
    const known = new Set((await trx.selectFrom("alert_destinations").select("id").execute()).map((r) => r.id));
    let rule;
    try {
      rule = parseAlertRule(body, known);
    } catch (error) {
      throw error instanceof AlertInputError ? new InvalidInputError(error.field, error.problem) : error;
    }
    await trx
      .insertInto("alert_rules")
      .values({
        id,
        name: rule.name,
        condition: JSON.stringify(rule.condition),
        destination_ids: JSON.stringify(rule.destinationIds),
        enabled: rule.enabled ? 1 : 0,
        created_by: actor,
        created_at: nowIso(store),
      })
      .execute();
    await recordAudit(
      store,
      { actor, action: "alert.rule.created", target: id, details: { name: rule.name, ...rule.condition, destinations: rule.destinationIds } },
      trx,
    );
  });
  return (await listAlertRules(store)).find((r) => r.id === id)!;
}

export async function listAlertRules(store: Store): Promise<StoredAlertRule[]> {
  const rows = await store.db.selectFrom("alert_rules").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    condition: JSON.parse(r.condition) as AlertCondition,
    destinationIds: JSON.parse(r.destination_ids) as string[],
    enabled: Number(r.enabled) === 1,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function removeAlertRule(store: Store, id: string, actor: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("alert_rules").select("name").where("id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Alert rule", id);
    await trx.deleteFrom("alert_rules").where("id", "=", id).execute();
    await recordAudit(store, { actor, action: "alert.rule.removed", target: id, details: { name: row.name } }, trx);
  });
}
