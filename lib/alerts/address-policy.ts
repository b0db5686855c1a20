/**
 * Which addresses an alert may be sent to (SSRF): never loopback, private, link-local,
 * unique-local, shared, multicast, documentation or reserved ranges, unless an Admin listed the
 * range as an allowed private network; never a cloud metadata address, allowed or not.
 */
import { BlockList, isIP } from "node:net";

/** Instance metadata and Azure's platform endpoints: secrets live there, so no allowance opens them. */
const METADATA = new BlockList();
METADATA.addAddress("169.254.169.254", "ipv4"); // Azure IMDS, AWS, GCP
METADATA.addAddress("168.63.129.16", "ipv4"); // Azure's WireServer (a public address, reachable from every Azure VM)
METADATA.addAddress("100.100.100.200", "ipv4"); // Alibaba Cloud
METADATA.addAddress("fd00:ec2::254", "ipv6"); // AWS over IPv6

const RANGES: [string, number, "ipv4" | "ipv6", string][] = [
  ["0.0.0.0", 8, "ipv4", "this-network"],
  ["10.0.0.0", 8, "ipv4", "private"],
  ["100.64.0.0", 10, "ipv4", "shared (carrier-grade NAT)"],
  ["127.0.0.0", 8, "ipv4", "loopback"],
  ["169.254.0.0", 16, "ipv4", "link-local"],
  ["172.16.0.0", 12, "ipv4", "private"],
  ["192.0.0.0", 24, "ipv4", "reserved"],
  ["192.0.2.0", 24, "ipv4", "documentation"],
  ["192.168.0.0", 16, "ipv4", "private"],
  ["198.18.0.0", 15, "ipv4", "benchmarking"],
  ["198.51.100.0", 24, "ipv4", "documentation"],
  ["203.0.113.0", 24, "ipv4", "documentation"],
  ["224.0.0.0", 4, "ipv4", "multicast"],
  ["240.0.0.0", 4, "ipv4", "reserved"],
  ["::", 128, "ipv6", "unspecified"],
  ["::1", 128, "ipv6", "loopback"],
  ["fc00::", 7, "ipv6", "unique-local"],
  ["fe80::", 10, "ipv6", "link-local"],
  ["ff00::", 8, "ipv6", "multicast"],
  ["2001:db8::", 32, "ipv6", "documentation"],
  ["100::", 64, "ipv6", "discard"],
];

/** An IPv4 address carried in IPv6 (mapped ::ffff:a.b.c.d, or NAT64 64:ff9b::/96) is judged as IPv4. */
function embeddedIpv4(address: string): string | undefined {
  const m = /^(?:::ffff:|64:ff9b::)(?:(\d+\.\d+\.\d+\.\d+)|([0-9a-f]{1,4}):([0-9a-f]{1,4}))$/i.exec(address);
  if (!m) return undefined;
  if (m[1]) return m[1];
  const hi = parseInt(m[2], 16);
  const lo = parseInt(m[3], 16);
  return [hi >> 8, hi & 255, lo >> 8, lo & 255].join(".");
}

export interface AddressPolicy {
  /** Ranges an Admin allowed ("127.0.0.1/32", "10.20.0.0/16", "::1/128"), as written. */
  allowedPrivateNetworks: readonly string[];
}

/** Parses one allowed network; throws with what is wrong. A bare address means just that address. */
export function parseNetwork(text: string): { address: string; prefix: number; family: "ipv4" | "ipv6" } {
  const [address, prefixText, extra] = text.trim().split("/");
  const version = isIP(address ?? "");
  if (extra !== undefined || version === 0)
    throw new Error(`${JSON.stringify(text)} is not an IP address or CIDR range (e.g. 10.0.0.0/8, 127.0.0.1/32, ::1/128)`);
  const max = version === 4 ? 32 : 128;
  const prefix = prefixText === undefined ? max : /^\d{1,3}$/.test(prefixText) ? Number(prefixText) : NaN;
  if (!(prefix >= 8 && prefix <= max)) throw new Error(`${JSON.stringify(text)}: the prefix must be a number from 8 to ${max}`);
  const family = version === 4 ? "ipv4" : "ipv6";
  for (const [meta, fam] of [
    ["169.254.169.254", "ipv4"],
    ["168.63.129.16", "ipv4"],
    ["100.100.100.200", "ipv4"],
    ["fd00:ec2::254", "ipv6"],
  ] as const) {
    const one = new BlockList();
    one.addSubnet(address, prefix, family);
    if (fam === family && one.check(meta, fam))
      throw new Error(`${JSON.stringify(text)} contains the cloud metadata address ${meta}, which alerts are never sent to`);
  }
  return { address, prefix, family };
}

/**
 * Why alerts may not go to `address`, or undefined when they may. `address` is an IP literal
 * (what a host name resolved to, or the URL's own).
 */
export function addressRefusal(address: string, policy: AddressPolicy): string | undefined {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const v4 = embeddedIpv4(bare);
  const ip = v4 ?? bare;
  const family = isIP(ip) === 4 ? "ipv4" : isIP(ip) === 6 ? "ipv6" : undefined;
  if (!family) return `${address} is not an IP address`;
  if (METADATA.check(ip, family)) return `${address} is a cloud metadata address`;
  const hit = RANGES.find(([net, prefix, fam]) => {
    if (fam !== family) return false;
    const one = new BlockList();
    one.addSubnet(net, prefix, fam);
    return one.check(ip, family);
  });
  if (!hit) return undefined;
  const allowed = new BlockList();
  for (const text of policy.allowedPrivateNetworks) {
    const n = parseNetwork(text);
    allowed.addSubnet(n.address, n.prefix, n.family);
  }
  if (allowed.check(ip, family)) return undefined;
  return `${address} is a ${hit[3]} address; an Admin must list its range under "Allowed private networks" to send alerts there`;
}

/** The policy as the gate a connection asks about each address. */
export function addressGate(policy: AddressPolicy): (address: string) => string | undefined {
  return (address) => addressRefusal(address, policy);
}
