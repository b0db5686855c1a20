/**
 * A finding's JSON columns as stored (evidence, Azure's verdict): JSON with the finding's own
 * resource ID replaced by U+0001. Evidence paths repeat the account ID (`account:/subscriptions/…
 * properties.x`) and Azure's verdict names the resource it speaks to; leaving the ID out makes a
 * 180,000-finding scan about a third smaller to write. JSON.stringify escapes U+0001, so the raw
 * character can only be our marker. Values stored before the marker existed decode unchanged.
 */
const MARK = "\u0001";

const inJson = (resourceId: string) => JSON.stringify(resourceId).slice(1, -1);

/** JSON text of `value` with `resourceId` replaced by the marker. */
export function encodeForResource(value: unknown, resourceId: string): string {
  const text = JSON.stringify(value);
  const id = inJson(resourceId);
  return id.length > 1 ? text.replaceAll(id, MARK) : text;
}

/** The value `encodeForResource` stored for the finding on `resourceId`. */
export function decodeForResource(text: string, resourceId: string): unknown {
  return JSON.parse(text.includes(MARK) ? text.split(MARK).join(inJson(resourceId)) : text);
}

export const encodeEvidence = (evidence: readonly unknown[], resourceId: string): string => encodeForResource(evidence, resourceId);

export const decodeEvidence = (text: string, resourceId: string): unknown[] => decodeForResource(text, resourceId) as unknown[];
