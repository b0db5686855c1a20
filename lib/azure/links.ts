/** Following a Speech account's references: its linked storage IDs (key vaults: lib/posture/key-vaults). */
import type { AzureDocument } from "@/lib/posture/snapshot";

function props(doc: AzureDocument): Record<string, unknown> {
  return (doc.properties ?? {}) as Record<string, unknown>;
}

function nonBlank(v: unknown): v is string {
  return typeof v === "string" && v.trim() !== "";
}

export function linkedStorageIds(accounts: Iterable<AzureDocument>): string[] {
  const ids = new Map<string, string>();
  for (const a of accounts) {
    const uos = props(a).userOwnedStorage;
    if (!Array.isArray(uos)) continue;
    for (const entry of uos) {
      const id = (entry as { resourceId?: unknown } | null)?.resourceId;
      if (nonBlank(id) && !ids.has(id.toLowerCase())) ids.set(id.toLowerCase(), id.trim());
    }
  }
  return [...ids.values()];
}

/** The subscription GUID of an ARM ID, or undefined when the ID has none. */
export function subscriptionOfId(id: string): string | undefined {
  const m = /^\/subscriptions\/([^/]+)/i.exec(id);
  return m ? m[1] : undefined;
}
