/**
 * Resource Graph skip tokens: opaque base64 JSON that binds the next offset to the query and scope
 * it was issued for (a token replayed with another query or scope is a 400, as in Azure).
 */

export interface SkipToken {
  key: string;
  offset: number;
  pageSize: number;
}

export function encodeSkipToken(t: SkipToken): string {
  const json = JSON.stringify({ $id: "1", MaxRows: t.pageSize, RowsToSkip: t.offset, kql: t.key });
  return Buffer.from(json, "utf8").toString("base64");
}

export function decodeSkipToken(text: string): SkipToken | undefined {
  try {
    const raw = JSON.parse(Buffer.from(text, "base64").toString("utf8")) as Record<string, unknown>;
    const offset = raw.RowsToSkip;
    const pageSize = raw.MaxRows;
    if (typeof raw.kql !== "string" || !Number.isInteger(offset) || !Number.isInteger(pageSize)) return undefined;
    if ((offset as number) < 0 || (pageSize as number) < 1) return undefined;
    return { key: raw.kql, offset: offset as number, pageSize: pageSize as number };
  } catch {
    return undefined;
  }
}
