import net from 'node:net';
import ipaddr from 'ipaddr.js';

/** A destination the outbound policy refuses; the dial never happens. */
export class SsrfRefusedError extends Error {
  readonly code = 'E_SSRF';
  constructor(readonly target: string) {
    super(`refused to connect to ${target}: not a public address (add it to MUSTER_OUTBOUND_ALLOWLIST to allow it)`);
  }
}

type Addr = ipaddr.IPv4 | ipaddr.IPv6;
// Checked with Node's own parser: ipaddr.js reads `::8.8.8.8` as the mapped `::ffff:808:808`, Node dials ::808:808.
const IPV4_COMPATIBLE = new net.BlockList();
IPV4_COMPATIBLE.addSubnet('::', 96, 'ipv6');

/**
 * Which addresses the server may dial. The allow-list (IPs, CIDRs, host names; empty by default) is checked
 * first, as Mattermost's AllowedUntrustedInternalConnections is; otherwise only global unicast passes.
 * ipaddr.js's `process()` unmaps `::ffff:a.b.c.d` first, and its ranges already exclude loopback, private,
 * CGNAT, link-local, unique-local, NAT64, 6to4, Teredo, benchmarking, reserved and unspecified addresses.
 * It reports IPv4-compatible `::a.b.c.d` as unicast, so `::/96` is denied here.
 */
export class OutboundPolicy {
  private readonly cidrs: Array<[Addr, number]> = [];
  private readonly hosts = new Set<string>();

  constructor(allowlist: string[]) {
    for (const raw of allowlist) {
      const entry = raw.trim().toLowerCase().replace(/^\[|\]$/g, '');
      if (!entry) continue;
      if (entry.includes('/')) this.cidrs.push(ipaddr.parseCIDR(entry));
      else if (ipaddr.isValid(entry)) {
        const addr = ipaddr.process(entry);
        this.cidrs.push([addr, addr.kind() === 'ipv4' ? 32 : 128]);
      } else this.hosts.add(entry.replace(/\.$/, ''));
    }
  }

  /** Entries that are not an IP, a CIDR or a host name, for the configuration error. */
  static invalidEntries(allowlist: string[]): string[] {
    return allowlist.filter((raw) => {
      const entry = raw.trim().replace(/^\[|\]$/g, '');
      if (entry.includes('/')) return !ipaddr.isValidCIDR(entry);
      return !ipaddr.isValid(entry) && !/^[a-z0-9]([a-z0-9.-]*[a-z0-9])?\.?$/i.test(entry);
    });
  }

  /** A host name on the allow-list may be dialed whatever it resolves to. */
  allowsHostName(hostname: string): boolean {
    return this.hosts.has(hostname.toLowerCase().replace(/\.$/, ''));
  }

  allowsAddress(ip: string): boolean {
    if (!ipaddr.isValid(ip)) return false;
    const addr = ipaddr.process(ip);
    for (const [range, bits] of this.cidrs) if (addr.kind() === range.kind() && addr.match(range, bits)) return true;
    if (net.isIPv6(ip) && IPV4_COMPATIBLE.check(ip, 'ipv6')) return false;
    return addr.range() === 'unicast';
  }
}

/** The bare IP of a URL host (`[::1]` → `::1`), or undefined for a host name. */
export function literalIp(hostname: string): string | undefined {
  const bare = hostname.replace(/^\[|\]$/g, '');
  return net.isIP(bare) ? bare : undefined;
}
