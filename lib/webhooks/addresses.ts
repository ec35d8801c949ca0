// Which IP addresses a webhook may never connect to: anything that reaches this machine, the
// private network around it or the cloud metadata service. The lists fail closed: an address that
// does not parse is forbidden, and IPv6 forms that carry an IPv4 address are judged by that address.
import { isIP } from 'node:net';

type V4Range = readonly [base: string, prefix: number];
type V6Range = readonly [base: string, prefix: number];

const FORBIDDEN_V4: readonly V4Range[] = [
  ['0.0.0.0', 8], // "this network"; 0.0.0.0 reaches the local host on Linux
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT, often the cloud's internal network
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, home of the 169.254.169.254 metadata service
  ['172.16.0.0', 12],
  ['192.0.0.0', 24], // IETF protocol assignments
  ['192.0.2.0', 24], // documentation ranges: never a real receiver
  ['192.168.0.0', 16],
  ['198.18.0.0', 15], // benchmarking
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, and 255.255.255.255 broadcast
];

const FORBIDDEN_V6: readonly V6Range[] = [
  ['::', 96], // unspecified, loopback and the deprecated IPv4-compatible form
  ['64:ff9b:1::', 48], // local-use NAT64: translates into a private network by definition
  ['100::', 64], // discard-only
  ['2001:db8::', 32], // documentation
  ['fc00::', 7], // unique-local
  ['fe80::', 10], // link-local
  ['fec0::', 10], // deprecated site-local, still routed by some stacks
  ['ff00::', 8], // multicast
];

// IPv6 prefixes whose low bits name an IPv4 host the packet ends up at.
const EMBEDS_V4: readonly V6Range[] = [
  ['::ffff:0:0', 96], // IPv4-mapped
  ['::ffff:0:0:0', 96], // IPv4-translated (SIIT)
  ['64:ff9b::', 96], // well-known NAT64 prefix
];

function v4ToInt(ip: string): bigint {
  return ip.split('.').reduce((acc, octet) => (acc << 8n) | BigInt(Number(octet)), 0n);
}

// Assumes net.isIP already accepted the text, so only the shape of "::" and a dotted tail remain.
function v6ToInt(ip: string): bigint {
  let text = ip.split('%')[0]!;
  const dotted = text.match(/(\d+\.\d+\.\d+\.\d+)$/);
  if (dotted) {
    const v4 = v4ToInt(dotted[1]!);
    text = `${text.slice(0, -dotted[1]!.length)}${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, tail] = text.split('::') as [string, string | undefined];
  const groups = (s: string) => (s ? s.split(':') : []);
  const left = groups(head);
  const right = tail === undefined ? [] : groups(tail);
  const all = [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  return all.reduce((acc, g) => (acc << 16n) | BigInt(parseInt(g, 16)), 0n);
}

const inRange = (value: bigint, base: bigint, prefix: number, bits: number) =>
  value >> BigInt(bits - prefix) === base >> BigInt(bits - prefix);

const v4Ranges = FORBIDDEN_V4.map(([b, p]) => [v4ToInt(b), p] as const);
const v6Ranges = FORBIDDEN_V6.map(([b, p]) => [v6ToInt(b), p] as const);
const v6Embedding = EMBEDS_V4.map(([b, p]) => [v6ToInt(b), p] as const);
const SIX_TO_FOUR = v6ToInt('2002::');

function v4Forbidden(value: bigint): boolean {
  return v4Ranges.some(([base, prefix]) => inRange(value, base, prefix, 32));
}

function v6Forbidden(value: bigint): boolean {
  if (v6Embedding.some(([base, prefix]) => inRange(value, base, prefix, 128))) return v4Forbidden(value & 0xffffffffn);
  // 6to4 (2002::/16) carries the relay's IPv4 address in bits 16–48.
  if (inRange(value, SIX_TO_FOUR, 16, 128)) return v4Forbidden((value >> 80n) & 0xffffffffn);
  return v6Ranges.some(([base, prefix]) => inRange(value, base, prefix, 128));
}

/** True when a webhook must not connect to this address; text that is not an IP address counts as forbidden. */
export function isForbiddenAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  switch (isIP(bare)) {
    case 4:
      return v4Forbidden(v4ToInt(bare));
    case 6:
      return v6Forbidden(v6ToInt(bare));
    default:
      return true;
  }
}
