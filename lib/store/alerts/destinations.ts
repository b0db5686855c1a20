/**
 * Alert destinations: a generic webhook (with its HMAC secret), a Teams Workflows URL or a Slack
 * incoming-webhook URL, each optionally trusting a private receiver's own CA. The URL and the
 * secret are written once and never read back for display: lists show them masked.
 */
import { randomBytes } from "node:crypto";
import { X509Certificate } from "node:crypto";
import { AlertInputError } from "@/lib/alerts/rules";
import { DESTINATION_KINDS, type DestinationKind } from "@/lib/alerts/messages";
import { recordAudit } from "@/lib/store/audit";
import { InvalidInputError, NotFoundError, StateConflictError } from "@/lib/store/errors";
import { nowIso, type Store } from "@/lib/store/store";

/** What a page or the API may see of a destination. */
export interface DestinationView {
  id: string;
  name: string;
  kind: DestinationKind;
  /** Scheme and host only ("https://hooks.slack.com/…"): the path and query hold tokens. */
  maskedUrl: string;
  hasSecret: boolean;
  hasCaCertificate: boolean;
  createdBy: string;
  createdAt: string;
}

/** What sending needs: the secrets, for the alert dispatcher only. */
export interface DestinationSecrets {
  id: string;
  name: string;
  kind: DestinationKind;
  url: string;
  hmacSecret: string | null;
  caPem: string | null;
}

export interface NewDestination {
  name: string;
  kind: DestinationKind;
  url: string;
  hmacSecret: string | null;
  caPem: string | null;
}

export function maskUrl(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}/…`;
  } catch {
    return "…";
  }
}

const FIELDS = new Set(["name", "kind", "url", "hmacSecret", "caCertificate"]);
const str = (v: unknown) => (typeof v === "string" ? v.trim() : "");

/** Validates the form; the URL's addresses are checked by `verifyUrl` (the SSRF policy, which resolves names, throwing InvalidInputError). */
export function parseDestination(body: unknown): NewDestination {
  if (!body || typeof body !== "object" || Array.isArray(body)) throw new AlertInputError("body", "expected a JSON object");
  const b = body as Record<string, unknown>;
  for (const key of Object.keys(b)) if (!FIELDS.has(key)) throw new AlertInputError(key, "unknown field");
  const name = str(b.name);
  if (name === "" || name.length > 100 || /[\u0000-\u001f\u007f]/.test(name))
    throw new AlertInputError("name", "expected a name of 1 to 100 characters, without control characters");
  if (!(DESTINATION_KINDS as readonly unknown[]).includes(b.kind)) throw new AlertInputError("kind", `expected one of ${DESTINATION_KINDS.join(", ")}`);
  const kind = b.kind as DestinationKind;
  const url = str(b.url);
  if (url === "" || url.length > 2048) throw new AlertInputError("url", "expected an https:// URL of at most 2048 characters");
  const secret = str(b.hmacSecret);
  if (kind === "webhook" && secret.length < 16) throw new AlertInputError("hmacSecret", "a webhook needs a signing secret of at least 16 characters");
  if (kind !== "webhook" && secret !== "")
    throw new AlertInputError("hmacSecret", `a ${kind} URL carries its own token; a signing secret is for generic webhooks`);
  if (secret.length > 256) throw new AlertInputError("hmacSecret", "at most 256 characters");
  const ca = str(b.caCertificate);
  if (ca !== "") {
    try {
      new X509Certificate(ca);
    } catch {
      throw new AlertInputError("caCertificate", "not a PEM certificate (-----BEGIN CERTIFICATE----- …)");
    }
  }
  return { name, kind, url, hmacSecret: secret || null, caPem: ca || null };
}

const asInput = (error: unknown) => (error instanceof AlertInputError ? new InvalidInputError(error.field, error.problem) : error);

export async function createDestination(store: Store, body: unknown, actor: string, verifyUrl: (url: string) => Promise<void>): Promise<DestinationView> {
  let input: NewDestination;
  try {
    input = parseDestination(body);
    await verifyUrl(input.url);
  } catch (error) {
    throw asInput(error);
  }
  const id = randomBytes(8).toString("hex");
  await store.db.transaction().execute(async (trx) => {
    await trx
      .insertInto("alert_destinations")
      .values({
        id,
        name: input.name,
        kind: input.kind,
        url: input.url,
        hmac_secret: input.hmacSecret,
        ca_pem: input.caPem,
        created_by: actor,
        created_at: nowIso(store),
      })
      .execute();
    // The audit keeps what was chosen, never the secrets.
    await recordAudit(
      store,
      {
        actor,
        action: "alert.destination.created",
        target: id,
        details: { name: input.name, kind: input.kind, url: maskUrl(input.url), caCertificate: input.caPem !== null },
      },
      trx,
    );
  });
  return (await listDestinations(store)).find((d) => d.id === id)!;
}

export async function listDestinations(store: Store): Promise<DestinationView[]> {
  const rows = await store.db.selectFrom("alert_destinations").selectAll().orderBy("created_at").orderBy("id").execute();
  return rows.map((r) => ({
    id: r.id,
    name: r.name,
    kind: r.kind as DestinationKind,
    maskedUrl: maskUrl(r.url),
    hasSecret: r.hmac_secret !== null,
    hasCaCertificate: r.ca_pem !== null,
    createdBy: r.created_by,
    createdAt: r.created_at,
  }));
}

export async function destinationSecrets(store: Store, ids: readonly string[]): Promise<DestinationSecrets[]> {
  if (ids.length === 0) return [];
  const rows = await store.db
    .selectFrom("alert_destinations")
    .selectAll()
    .where("id", "in", [...ids])
    .execute();
  return rows.map((r) => ({ id: r.id, name: r.name, kind: r.kind as DestinationKind, url: r.url, hmacSecret: r.hmac_secret, caPem: r.ca_pem }));
}

/** Removes a destination no rule sends to (a rule that does is named, to be changed first). */
export async function removeDestination(store: Store, id: string, actor: string): Promise<void> {
  await store.db.transaction().execute(async (trx) => {
    const row = await trx.selectFrom("alert_destinations").select(["id", "name"]).where("id", "=", id).executeTakeFirst();
    if (!row) throw new NotFoundError("Alert destination", id);
    const rules = await trx.selectFrom("alert_rules").select(["name", "destination_ids"]).execute();
    const users = rules.filter((r) => (JSON.parse(r.destination_ids) as string[]).includes(id)).map((r) => r.name);
    if (users.length)
      throw new StateConflictError(
        `Destination ${row.name} is used by the rule${users.length === 1 ? "" : "s"} ${users.join(", ")}; remove ${users.length === 1 ? "it" : "them"} first.`,
      );
    await trx.deleteFrom("alert_destinations").where("id", "=", id).execute();
    await recordAudit(store, { actor, action: "alert.destination.removed", target: id, details: { name: row.name } }, trx);
  });
}
