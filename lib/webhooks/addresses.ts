// Which IP addresses a webhook may never connect to: anything that reaches this machine, the
// private network around it or the cloud metadata service. The lists fail closed: an address that
// does not parse is forbidden, and IPv6 forms that carry an IPv4 address are judged by that address.
// Parsing and prefix matching are ipaddr.js's; what is forbidden, and which text counts as an
// address at all, is decided here.
import ipaddr from 'ipaddr.js';

const cidrs = <T extends ipaddr.IPv4 | ipaddr.IPv6>(list: readonly string[]) =>
  list.map((text) => ipaddr.parseCIDR(text) as [T, number]);

const FORBIDDEN_V4 = cidrs<ipaddr.IPv4>([
  '0.0.0.0/8', // "this network"; 0.0.0.0 reaches the local host on Linux
  '10.0.0.0/8',
  '100.64.0.0/10', // carrier-grade NAT, often the cloud's internal network
  '127.0.0.0/8',
  '169.254.0.0/16', // link-local, home of the 169.254.169.254 metadata service
  '172.16.0.0/12',
  '192.0.0.0/24', // IETF protocol assignments
  '192.0.2.0/24', // documentation ranges: never a real receiver
  '192.168.0.0/16',
  '198.18.0.0/15', // benchmarking
  '198.51.100.0/24',
  '203.0.113.0/24',
  '224.0.0.0/4', // multicast
  '240.0.0.0/4', // reserved, and 255.255.255.255 broadcast
]);

const FORBIDDEN_V6 = cidrs<ipaddr.IPv6>([
  '::/96', // unspecified, loopback and the deprecated IPv4-compatible form
  '64:ff9b:1::/48', // local-use NAT64: translates into a private network by definition
  '100::/64', // discard-only
  '2001::/32', // Teredo: a relay unwraps it to an obfuscated IPv4 host; no receiver lives there
  '2001:db8::/32', // documentation
  'fc00::/7', // unique-local
  'fe80::/10', // link-local
  'fec0::/10', // deprecated site-local, still routed by some stacks
  'ff00::/8', // multicast
]);

// "::a.b.c.d" is IPv4-compatible (::/96, refused above), but ipaddr.js reads that text as the
// IPv4-mapped ::ffff:a.b.c.d, which would judge ::8.8.8.8 as public. Such text is refused as written.
const IPV4_COMPATIBLE_TEXT = /^::\d+\.\d+\.\d+\.\d+$/;
// ipaddr.js reads a dotted tail leniently (::ffff:0177.0.0.1 becomes 177.0.0.1); sockets refuse it.
const DOTTED_TAIL = /:([^:]*\.[^:]*)$/;

const fromParts = (hi: number, lo: number) => new ipaddr.IPv4([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);

function v4Forbidden(ip: ipaddr.IPv4): boolean {
  return FORBIDDEN_V4.some((range) => ip.match(range));
}

/** The IPv4 host a packet to this IPv6 address ends up at, when its prefix is a translation one. */
function embeddedV4(ip: ipaddr.IPv6): ipaddr.IPv4 | null {
  if (ip.isIPv4MappedAddress()) return ip.toIPv4Address();
  const p = ip.parts;
  switch (ip.range()) {
    case 'rfc6145': // IPv4-translated (SIIT), ::ffff:0:a.b.c.d
    case 'rfc6052': // well-known NAT64 64:ff9b::/96 (the local-use /48 is refused outright)
      return fromParts(p[6]!, p[7]!);
    case '6to4': // 2002:AABB:CCDD::/48 carries the relay's IPv4 address in bits 16–48
      return fromParts(p[1]!, p[2]!);
    default:
      return null;
  }
}

function v6Forbidden(ip: ipaddr.IPv6): boolean {
  if (FORBIDDEN_V6.some((range) => ip.match(range))) return true;
  const v4 = embeddedV4(ip);
  return v4 !== null && v4Forbidden(v4);
}

/**
 * The address this text names, or null when it is not an address as a socket writes one. Only the
 * dotted four-part decimal IPv4 form counts: 0177.0.0.1, 0x7f.1, 127.1 and 2130706433 are 127.0.0.1
 * to inet_aton but 0127.0.0.1 is 87.0.0.1 to one parser and 127.0.0.1 to another, and DNS and URL
 * parsing only ever hand us the canonical form, so anything else is refused rather than guessed at.
 * A zone id (fe80::1%eth0) picks a local interface, so it is refused whatever the address.
 */
function parseStrict(text: string): ipaddr.IPv4 | ipaddr.IPv6 | null {
  if (ipaddr.IPv4.isValidFourPartDecimal(text)) return ipaddr.IPv4.parse(text);
  if (text.includes('%') || IPV4_COMPATIBLE_TEXT.test(text) || !ipaddr.IPv6.isValid(text)) return null;
  const tail = DOTTED_TAIL.exec(text);
  if (tail && !ipaddr.IPv4.isValidFourPartDecimal(tail[1]!)) return null;
  return ipaddr.IPv6.parse(text);
}

/** True when a webhook must not connect to this address; text that is not an IP address counts as forbidden. */
export function isForbiddenAddress(ip: string): boolean {
  const bare = ip.startsWith('[') && ip.endsWith(']') ? ip.slice(1, -1) : ip;
  const addr = parseStrict(bare);
  if (addr === null) return true;
  return addr.kind() === 'ipv4' ? v4Forbidden(addr as ipaddr.IPv4) : v6Forbidden(addr as ipaddr.IPv6);
}
