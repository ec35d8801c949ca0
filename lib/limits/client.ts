// Which client a request comes from, for the limits counted per client (./quota.ts, ./admit.ts).
//
// Route handlers never see the socket, so the address can only come from a header, and a header is
// only as good as whoever set it:
// - On Vercel the edge overwrites the forwarding headers with the address it accepted the connection
//   from, so x-vercel-forwarded-for (then x-real-ip) is the client, whatever the client sent.
// - Elsewhere, X-Forwarded-For is believed only as far as TRUST_PROXY says: with N trusted proxies
//   the client is the N-th entry from the right, the one the outermost trusted proxy appended.
//   Entries further left were written by the client and are ignored.
// - Otherwise no header is believed (`next start` itself fills X-Forwarded-For from the socket only
//   when the client sent none, so the value cannot be told from a forged one), and every request
//   counts as the one client 'unknown': the limits then hold for the server as a whole, which is
//   strict but cannot be dodged. Set TRUST_PROXY behind a proxy to count clients apart.
import ipaddr from 'ipaddr.js';

export const UNKNOWN_CLIENT = 'unknown';

export interface ClientSource {
  onVercel: boolean;
  trustProxy: number;
}

/** The raw address the request came from, as far as it can be trusted, or null. */
export function clientAddress(headers: Headers, src: ClientSource): string | null {
  if (src.onVercel) return firstEntry(headers.get('x-vercel-forwarded-for')) ?? firstEntry(headers.get('x-real-ip'));
  if (src.trustProxy === 0) return null;
  const entries = (headers.get('x-forwarded-for') ?? '').split(',').map((s) => s.trim());
  // Fewer entries than trusted proxies: the request skipped the outer ones, and every entry there is
  // was written by a trusted proxy, so the leftmost is the address the chain first saw.
  const entry = entries.at(-src.trustProxy) ?? entries[0];
  return entry ? entry : null;
}

function firstEntry(value: string | null): string | null {
  const first = value?.split(',')[0]?.trim();
  return first ? first : null;
}

/**
 * The bucket an address counts in: an IPv4 address, or an IPv6 /64 (what one subscriber is usually
 * given, so a client cannot pick a fresh address for each request). IPv4-mapped IPv6 addresses count
 * as their IPv4 address. Anything that is not an address is 'unknown'.
 */
export function bucketOf(address: string | null): string {
  if (address === null) return UNKNOWN_CLIENT;
  const bare = stripPort(address);
  if (!ipaddr.isValid(bare)) return UNKNOWN_CLIENT;
  const ip = ipaddr.process(bare);
  if (ip.kind() === 'ipv4') return ip.toString();
  const parts = (ip as ipaddr.IPv6).parts;
  // Rebuilt from the parts, so a zone id (fe80::1%eth0) never splits one client into many.
  return `${new ipaddr.IPv6([parts[0]!, parts[1]!, parts[2]!, parts[3]!, 0, 0, 0, 0]).toString()}/64`;
}

/** Some proxies write `1.2.3.4:5678` or `[2001:db8::1]:443`. */
function stripPort(a: string): string {
  const bracketed = /^\[([^\]]+)\](?::\d+)?$/.exec(a);
  if (bracketed) return bracketed[1]!;
  const v4 = /^(\d{1,3}(?:\.\d{1,3}){3}):\d+$/.exec(a);
  return v4 ? v4[1]! : a;
}

/** The bucket a request counts in. */
export function clientKey(headers: Headers, src: ClientSource): string {
  return bucketOf(clientAddress(headers, src));
}
