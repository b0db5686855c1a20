/** How a tenant is named on the pages: its scan target's name with the tenant ID, else the ID. */
import { UNKNOWN_TENANT } from "@/lib/store/tenants";

export function tenantLabel(t: { tenantId: string; displayName: string | null }): string {
  if (t.tenantId === UNKNOWN_TENANT) return "Tenant not recorded";
  return t.displayName ? `${t.displayName} (${t.tenantId})` : t.tenantId;
}
