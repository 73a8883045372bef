/**
 * Which IP addresses an image URL may reach: public unicast only. Everything a server can reach but the
 * caller should not (the engine's own host, the private network, cloud metadata) is refused by range.
 */
import { BlockList, isIPv4, isIPv6 } from "node:net";

const RANGES: readonly [cidr: string, kind: string][] = [
  ["0.0.0.0/8", "an unspecified ('this network') address"],
  ["10.0.0.0/8", "a private address"],
  ["100.64.0.0/10", "a carrier-grade NAT (shared) address"],
  ["127.0.0.0/8", "a loopback address"],
  ["169.254.0.0/16", "a link-local address (cloud metadata services live here)"],
  ["172.16.0.0/12", "a private address"],
  ["192.0.0.0/24", "an IETF protocol address"],
  ["192.0.2.0/24", "a documentation address"],
  ["192.168.0.0/16", "a private address"],
  ["198.18.0.0/15", "a benchmarking address"],
  ["198.51.100.0/24", "a documentation address"],
  ["203.0.113.0/24", "a documentation address"],
  ["224.0.0.0/4", "a multicast address"],
  ["240.0.0.0/4", "a reserved address"],
  ["::/128", "an unspecified address"],
  ["::1/128", "a loopback address"],
  ["fc00::/7", "a unique-local (private) address"],
  ["fe80::/10", "a link-local address"],
  ["ff00::/8", "a multicast address"],
  ["2001:db8::/32", "a documentation address"],
  ["100::/64", "a discard-only address"],
];

const lists = RANGES.map(([cidr, kind]) => {
  const [network = "", prefix = ""] = cidr.split("/");
  const list = new BlockList();
  list.addSubnet(network, Number(prefix), isIPv4(network) ? "ipv4" : "ipv6");
  return { list, family: isIPv4(network) ? ("ipv4" as const) : ("ipv6" as const), kind };
});

/** The IPv4 address inside an IPv4-mapped, -compatible or NAT64 IPv6 address, if it is one. */
function embeddedIPv4(address: string): string | undefined {
  const mapped = /^(?:::ffff:|::|64:ff9b::)(\d+\.\d+\.\d+\.\d+)$/i.exec(address);
  if (mapped?.[1]) return mapped[1];
  const hex = /^(?:::ffff:|64:ff9b::)([0-9a-f]{1,4}):([0-9a-f]{1,4})$/i.exec(address);
  if (hex?.[1] && hex[2]) {
    const high = parseInt(hex[1], 16);
    const low = parseInt(hex[2], 16);
    return `${high >> 8}.${high & 255}.${low >> 8}.${low & 255}`;
  }
  return undefined;
}

/** Why `address` must not be fetched from (e.g. "a loopback address"), or undefined when it is public. */
export function forbiddenAddressKind(address: string): string | undefined {
  const v4 = isIPv6(address) ? embeddedIPv4(address) : address;
  if (v4 !== undefined && isIPv4(v4)) {
    return lists.find((l) => l.family === "ipv4" && l.list.check(v4, "ipv4"))?.kind;
  }
  if (!isIPv6(address)) return "not an IP address";
  return lists.find((l) => l.family === "ipv6" && l.list.check(address, "ipv6"))?.kind;
}
