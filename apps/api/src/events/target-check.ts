import { lookup } from 'node:dns/promises';
import { BlockList, isIP } from 'node:net';

/**
 * Webhook targets must be public (no SSRF into the bank's network): every address the host resolves
 * to is checked against the non-public ranges (IANA special-purpose registries), with node's BlockList.
 */
const blocked = new BlockList();
for (const [net, bits] of [
  ['0.0.0.0', 8],
  ['10.0.0.0', 8],
  ['100.64.0.0', 10],
  ['127.0.0.0', 8],
  ['169.254.0.0', 16],
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4],
  ['240.0.0.0', 4],
] as const)
  blocked.addSubnet(net, bits, 'ipv4');
for (const [net, bits] of [
  ['::', 128],
  ['::1', 128],
  ['::ffff:0:0', 96],
  ['64:ff9b::', 96],
  ['100::', 64],
  ['2001:db8::', 32],
  ['fc00::', 7],
  ['fe80::', 10],
  ['ff00::', 8],
] as const)
  blocked.addSubnet(net, bits, 'ipv6');

export function isPublicAddress(address: string): boolean {
  const family = isIP(address);
  if (family === 0) return false;
  if (family === 6 && address.toLowerCase().startsWith('::ffff:')) {
    const v4 = address.slice(7);
    if (isIP(v4) === 4) return !blocked.check(v4, 'ipv4');
  }
  return !blocked.check(address, family === 4 ? 'ipv4' : 'ipv6');
}

export type TargetVerdict = { ok: true } | { ok: false; reason: 'private'; address: string } | { ok: false; reason: 'unresolvable' };

/** Whether a URL may be POSTed to: its host in the allowed list, or resolving only to public addresses. */
export async function checkTarget(url: URL, allowed: ReadonlySet<string>): Promise<TargetVerdict> {
  const host = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  if (allowed.has(host)) return { ok: true };
  let addresses: string[];
  if (isIP(host)) addresses = [host];
  else {
    try {
      addresses = (await lookup(host, { all: true, verbatim: true })).map((a) => a.address);
    } catch {
      return { ok: false, reason: 'unresolvable' };
    }
  }
  const bad = addresses.find((a) => !isPublicAddress(a));
  return bad === undefined && addresses.length ? { ok: true } : { ok: false, reason: 'private', address: bad ?? host };
}
