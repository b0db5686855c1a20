/**
 * Prepares one in-scope account for evaluation: the facts every control needs (names, keys,
 * subscription, linked storage resolved against the snapshot) are computed once here.
 */
import { idKey, lastSegment, subscriptionOf } from "./ids";
import type { AccountEntry, SnapshotIndex } from "./indexes";
import { child, EMPTY_ARRAY, list, obj, text } from "./read";
import type { AccountView, LinkedStorage } from "./types";

export function prepareAccount(entry: AccountEntry, ix: SnapshotIndex): AccountView {
  const { doc, key } = entry;
  const props = child(doc, "properties");
  // The key is the lower-cased ID, so its subscription segment is already the lookup key.
  const fromId = subscriptionOf(key);
  const subscriptionKey = fromId ?? idKey(text(doc.subscriptionId) ?? "");
  const listed = ix.subscriptions.get(subscriptionKey);
  return {
    doc,
    id: doc.id,
    key,
    name: text(doc.name) ?? lastSegment(doc.id),
    subscriptionId: listed ? listed.subscriptionId : ((fromId === undefined ? text(doc.subscriptionId)?.trim() : subscriptionOf(doc.id)) ?? ""),
    subscriptionScope: ix.scopeOfSubscription(subscriptionKey),
    props,
    identity: child(doc, "identity"),
    linked: linkedStorage(props.userOwnedStorage, ix),
    diagnosticSettings: entry.diagnosticSettings,
    speechEndpoints: entry.speechEndpoints,
    ref: `account:${doc.id} `,
    memo: [],
  };
}

/** Each distinct non-blank `userOwnedStorage[*].resourceId`, looked up in the snapshot. */
function linkedStorage(value: unknown, ix: SnapshotIndex): readonly LinkedStorage[] {
  const entries = list(value);
  if (entries.length === 0) return EMPTY_ARRAY;
  const out: LinkedStorage[] = [];
  for (let i = 0; i < entries.length; i++) {
    const id = text(obj(entries[i])?.resourceId)?.trim();
    if (id === undefined) continue;
    const key = idKey(id);
    if (out.some((s) => s.key === key)) continue;
    const doc = ix.storage.get(key);
    const subscription = subscriptionOf(id);
    const subscriptionKey = subscription === undefined ? "" : idKey(subscription);
    const name = lastSegment(id);
    out.push({
      id,
      key,
      name,
      doc,
      props: child(doc, "properties"),
      scanned: subscription !== undefined && ix.scannedSubscriptions.has(subscriptionKey),
      subscriptionKey,
      hiddenBy: doc === undefined ? ix.hiddenBy(key) : undefined,
      ref: `storage:${doc ? doc.id : id} `,
      subject: `Linked storage account ${name}`,
    });
  }
  return out.length === 0 ? EMPTY_ARRAY : out;
}
