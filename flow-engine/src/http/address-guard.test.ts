import { describe, expect, it } from "vitest";
import { forbiddenAddressKind } from "./address-guard.js";

describe("forbiddenAddressKind", () => {
  it.each([
    ["127.0.0.1", "loopback"],
    ["127.255.0.9", "loopback"],
    ["::1", "loopback"],
    ["::ffff:127.0.0.1", "loopback"],
    ["::ffff:7f00:1", "loopback"],
    ["10.0.0.1", "private"],
    ["172.16.5.4", "private"],
    ["192.168.1.1", "private"],
    ["100.64.0.1", "carrier-grade NAT"],
    ["169.254.169.254", "link-local"],
    ["fe80::1", "link-local"],
    ["fd00:ec2::254", "unique-local"],
    ["0.0.0.0", "unspecified"],
    ["::", "unspecified"],
    ["224.0.0.1", "multicast"],
    ["ff02::1", "multicast"],
    ["64:ff9b::10.0.0.1", "private"],
  ])("refuses %s (%s)", (address, kind) => {
    expect(forbiddenAddressKind(address)).toContain(kind);
  });

  it.each(["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8", "172.32.0.1", "100.128.0.1"])(
    "allows the public address %s",
    (address) => {
      expect(forbiddenAddressKind(address)).toBeUndefined();
    },
  );

  it("refuses what is not an IP address", () => {
    expect(forbiddenAddressKind("localhost")).toBe("not an IP address");
  });
});
