/** Deep links into the Azure portal. */

/**
 * A resource's blade in the Azure portal, in its tenant (`#@<tenant>/resource<id>`) so a user
 * signed in to several directories lands in the right one. Each path segment is URL-encoded.
 */
export function portalResourceHref(tenantId: string | null, resourceId: string): string {
  const path = resourceId
    .trim()
    .split("/")
    .map((segment) => encodeURIComponent(segment))
    .join("/");
  const tenant = tenantId && /^[A-Za-z0-9.-]+$/.test(tenantId.trim()) ? `@${tenantId.trim()}/` : "";
  return `https://portal.azure.com/#${tenant}resource${path.startsWith("/") ? path : `/${path}`}`;
}
