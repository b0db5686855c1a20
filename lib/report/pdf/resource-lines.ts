/**
 * How the report names a resource or a scope in a table row: its name, resource group and
 * subscription on one line (names are never cut or broken inside), and the full ID below in small
 * monospaced type, wrapped at its slashes rather than truncated.
 */
import type { SpanLine } from "./canvas";
import { resourceName, subscriptionName, type ReportContext } from "./context";
import { COLOR, SIZE } from "./theme";
import { resourceGroupOf, subscriptionOf } from "@/lib/posture/ids";

function idLine(id: string): SpanLine {
  return { text: id, face: "mono", size: SIZE.micro, color: COLOR.muted, slashBreaks: true };
}

/** A resource: "name · resource group rg · subscription Name", then its ID. */
export function resourceLines(ctx: ReportContext, resourceId: string, prefix = ""): SpanLine[] {
  const parts = [resourceName(ctx, resourceId)];
  const rg = resourceGroupOf(resourceId);
  const sub = subscriptionOf(resourceId);
  if (rg) parts.push(`resource group ${rg}`);
  if (sub) parts.push(`subscription ${subscriptionName(ctx, sub)}`);
  return [{ text: `${prefix}${parts.join(" · ")}`, face: "bold", size: SIZE.tiny }, idLine(resourceId)];
}

/** An error's or exception's scope: a resource, a resource group or a subscription, each with its full ID. */
export function scopeLines(ctx: ReportContext, scope: string, prefix = ""): SpanLine[] {
  const sub = subscriptionOf(scope);
  const rg = resourceGroupOf(scope);
  const segments = scope.split("/").filter(Boolean);
  if (sub && rg && segments.length > 4) return resourceLines(ctx, scope, prefix);
  if (sub && rg) return [{ text: `${prefix}resource group ${rg} · subscription ${subscriptionName(ctx, sub)}`, face: "bold", size: SIZE.tiny }, idLine(scope)];
  if (sub && segments.length === 2) return [{ text: `${prefix}subscription ${subscriptionName(ctx, sub)}`, face: "bold", size: SIZE.tiny }, idLine(scope)];
  return [idLine(scope || "(no scope)")];
}
