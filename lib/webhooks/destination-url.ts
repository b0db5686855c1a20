/**
 * A destination URL before anything is sent: https only, a host, no user name or password in it.
 * Checked when an Admin saves it (with its addresses resolved) and again before every attempt,
 * when the connection itself is pinned to addresses checked at that moment (see post.ts).
 */
import { lookup } from "node:dns/promises";
import { isIP } from "node:net";

/** Why an address may not be reached, or undefined when it may (the caller's SSRF policy). */
export type AddressGate = (address: string) => string | undefined;

/** A destination refused by policy: never retried, logged as "refused". */
export class DestinationRefusedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DestinationRefusedError";
  }
}

/** The URL's host as an IP literal, without IPv6 brackets, or undefined for a name. */
export function ipLiteral(url: URL): string | undefined {
  const host = url.hostname.replace(/^\[|\]$/g, "");
  return isIP(host) ? host : undefined;
}

/** Parses and checks the URL's form (not its addresses). */
export function parseDestinationUrl(text: string): URL {
  let url: URL;
  try {
    url = new URL(text.trim());
  } catch {
    throw new DestinationRefusedError("not a URL");
  }
  if (url.protocol !== "https:") throw new DestinationRefusedError(`only https:// URLs are allowed (got ${url.protocol}//)`);
  if (url.username || url.password) throw new DestinationRefusedError("a user name or password in the URL is not allowed");
  if (!url.hostname) throw new DestinationRefusedError("the URL has no host");
  return url;
}

/** Every address the URL's host stands for must be allowed (a name resolving to one private address is refused). */
export async function checkDestination(text: string, gate: AddressGate, resolve: typeof lookup = lookup): Promise<URL> {
  const url = parseDestinationUrl(text);
  const literal = ipLiteral(url);
  let addresses: string[];
  if (literal) addresses = [literal];
  else {
    try {
      addresses = (await resolve(url.hostname, { all: true, verbatim: true })).map((a) => a.address);
    } catch (error) {
      throw new DestinationRefusedError(`${url.hostname} does not resolve (${(error as { code?: string }).code ?? "lookup failed"})`);
    }
  }
  for (const a of addresses) {
    const why = gate(a);
    if (why) throw new DestinationRefusedError(literal ? why : `${url.hostname} resolves to ${why}`);
  }
  return url;
}
