/**
 * Exceptions for every finding of a filtered findings view at once: one exception per failing or
 * unknown finding the filters match that no exception mutes yet, scoped to its control and
 * resource, all with the same owner, reason and expiry, created all or none.
 */
import { createExceptions, MAX_BULK_EXCEPTIONS, type StoredException } from "@/lib/store/exceptions";
import { InvalidInputError } from "@/lib/store/errors";
import type { Store } from "@/lib/store/store";
import type { FindingsQuery } from "./params";
import { queryFindings } from "./query";

/** Statuses an exception is for: a pass or a not-applicable verdict has nothing to accept. */
const EXCEPTABLE = ["fail", "unknown"];

export interface BulkExceptionFields {
  owner: unknown;
  reason: unknown;
  expiresAt: unknown;
}

/** The findings a bulk creation would cover: the view's filters, narrowed to failing/unknown and not muted. */
export function bulkTargetsQuery(query: FindingsQuery): FindingsQuery {
  const status = (query.status ?? EXCEPTABLE).filter((s) => EXCEPTABLE.includes(s));
  return { ...query, status: status.length ? status : ["none"], muted: false, page: 1, pageSize: MAX_BULK_EXCEPTIONS };
}

export async function createExceptionsForFindings(
  store: Store,
  scanId: string,
  query: FindingsQuery,
  fields: BulkExceptionFields,
  actor?: string,
): Promise<StoredException[]> {
  const page = await queryFindings(store, scanId, bulkTargetsQuery(query));
  if (page.total === 0) throw new InvalidInputError("filters", "no failing or unknown finding without an exception matches these filters");
  if (page.total > MAX_BULK_EXCEPTIONS) {
    throw new InvalidInputError(
      "filters",
      `${page.total} failing or unknown findings without an exception match these filters; narrow them to at most ${MAX_BULK_EXCEPTIONS} (or scope one exception by control, subscription or tag)`,
    );
  }
  const bodies = page.items.map((f) => ({
    controlId: f.controlId,
    resourceId: f.resourceId,
    owner: fields.owner,
    reason: fields.reason,
    expiresAt: fields.expiresAt,
  }));
  try {
    return await createExceptions(store, bodies, actor, { bulk: { scanId, findings: page.total } });
  } catch (error) {
    // Owner, reason and expiry are the same for all: name the field, not the first body's position.
    const shared = error instanceof InvalidInputError ? /^\[\d+\]\.(owner|reason|expiresAt)$/.exec(error.field) : null;
    if (shared && error instanceof InvalidInputError) throw new InvalidInputError(shared[1], error.message.replace(`${error.field}: `, ""));
    throw error;
  }
}
