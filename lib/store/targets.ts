/**
 * Scan targets kept in the store: one per tenant, validated before anything is written, each
 * change audited in the same transaction. Only references to secrets are stored (see
 * lib/posture/targets.ts); nothing here ever reads a secret.
 */
import { describeScope, parseTarget, TargetInputError, type ScanTarget } from "@/lib/posture/targets";
import { recordAudit } from "./audit";
import type { TargetsTable } from "./db/schema";
import { InvalidInputError, isUniqueViolation, NotFoundError } from "./errors";
import { nowIso, type Store } from "./store";

export interface StoredTarget extends ScanTarget {
  createdAt: string;
  updatedAt: string;
  updatedBy: string;
}

function fromRow(r: TargetsTable): StoredTarget {
  return {
    tenantId: r.tenant_id,
    displayName: r.display_name,
    credential: JSON.parse(r.credential) as ScanTarget["credential"],
    scope: JSON.parse(r.scope) as ScanTarget["scope"],
    exclude: JSON.parse(r.exclude) as string[],
    createdAt: r.created_at,
    updatedAt: r.updated_at,
    updatedBy: r.updated_by,
  };
}

/** Validation problems become the store's InvalidInputError (HTTP 400) naming the field. */
function validated(input: unknown): ScanTarget {
  try {
    return parseTarget(input);
  } catch (error) {
    if (error instanceof TargetInputError) throw new InvalidInputError(error.path, error.problem);
    throw error;
  }
}

/** Ordered by display name, then tenant. */
export async function listTargets(store: Store): Promise<StoredTarget[]> {
  const rows = await store.db.selectFrom("targets").selectAll().orderBy("display_name").orderBy("tenant_id").execute();
  return rows.map(fromRow);
}

export async function getTarget(store: Store, tenantId: string): Promise<StoredTarget | undefined> {
  const row = await store.db.selectFrom("targets").selectAll().where("tenant_id", "=", tenantId.trim().toLowerCase()).executeTakeFirst();
  return row ? fromRow(row) : undefined;
}

/** What the audit trail keeps of a target: never more than the store itself holds (references, no secrets). */
function auditDetails(t: ScanTarget): Record<string, unknown> {
  return { displayName: t.displayName, credential: t.credential.kind, scope: describeScope(t.scope, t.exclude) };
}

/** Adds a target; a second target for the same tenant is refused, naming the tenant. */
export async function addTarget(store: Store, input: unknown, actor: string): Promise<StoredTarget> {
  const t = validated(input);
  const now = nowIso(store);
  try {
    await store.db.transaction().execute(async (trx) => {
      await trx
        .insertInto("targets")
        .values({
          tenant_id: t.tenantId,
          display_name: t.displayName,
          credential: JSON.stringify(t.credential),
          scope: JSON.stringify(t.scope),
          exclude: JSON.stringify(t.exclude),
          created_at: now,
          updated_at: now,
          updated_by: actor,
        })
        .execute();
      await recordAudit(store, { actor, action: "target.added", target: t.tenantId, details: auditDetails(t) }, trx);
    });
  } catch (error) {
    if (isUniqueViolation(error)) throw new InvalidInputError("target.tenantId", `tenant ${t.tenantId} already has a target; edit that one`);
    throw error;
  }
  return (await getTarget(store, t.tenantId))!;
}

/** Replaces the target of `tenantId` (its tenant ID cannot change: remove it and add another). */
export async function updateTarget(store: Store, tenantId: string, input: unknown, actor: string): Promise<StoredTarget> {
  const t = validated(input);
  const key = tenantId.trim().toLowerCase();
  if (t.tenantId !== key) throw new InvalidInputError("target.tenantId", "a target's tenant cannot change; remove the target and add one for the other tenant");
  await store.db.transaction().execute(async (trx) => {
    const r = await trx
      .updateTable("targets")
      .set({
        display_name: t.displayName,
        credential: JSON.stringify(t.credential),
        scope: JSON.stringify(t.scope),
        exclude: JSON.stringify(t.exclude),
        updated_at: nowIso(store),
        updated_by: actor,
      })
      .where("tenant_id", "=", key)
      .executeTakeFirst();
    if (Number(r.numUpdatedRows) !== 1) throw new NotFoundError("Target", key);
    await recordAudit(store, { actor, action: "target.changed", target: key, details: auditDetails(t) }, trx);
  });
  return (await getTarget(store, key))!;
}

export async function removeTarget(store: Store, tenantId: string, actor: string): Promise<void> {
  const key = tenantId.trim().toLowerCase();
  await store.db.transaction().execute(async (trx) => {
    const r = await trx.deleteFrom("targets").where("tenant_id", "=", key).executeTakeFirst();
    if (Number(r.numDeletedRows) !== 1) throw new NotFoundError("Target", key);
    await recordAudit(store, { actor, action: "target.removed", target: key }, trx);
  });
}
