// Which hosts `next dev` serves its scripts and hot-reload socket to. Next.js only trusts localhost by
// itself, so a page opened at the "Network:" address it prints (or at 127.0.0.1) would load without its
// scripts and never hydrate. Pure, so next.config.ts can hand it the machine's interfaces and the
// DEV_ORIGINS setting, and a test can hand it any.
import type { NetworkInterfaceInfo } from 'node:os';

/** A host as Next.js compares it: the Origin header's hostname, lower-cased (IPv6 in brackets). */
function hostOf(address: string, family: NetworkInterfaceInfo['family']): string {
  return family === 'IPv6' ? `[${address.toLowerCase()}]` : address.toLowerCase();
}

/** "http://box.lan:3000", "box.lan" or "*.example.test" → the hostname pattern Next.js matches on. */
function hostPattern(entry: string): string | null {
  const raw = entry.trim();
  if (!raw) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//i.test(raw)) return raw.replace(/:\d+$/, '').toLowerCase();
  try {
    return new URL(raw).hostname.toLowerCase() || null;
  } catch {
    return null;
  }
}

/**
 * Every address of this machine that a browser can use in a URL (IPv4, and IPv6 other than link-local,
 * which needs a zone id no Origin header carries), localhost and 127.0.0.1, then the extra hosts or
 * origins listed in `extra` (comma- or space-separated), without duplicates.
 */
export function devOrigins(interfaces: NodeJS.Dict<NetworkInterfaceInfo[]>, extra = ''): string[] {
  const hosts = ['localhost', '127.0.0.1', '[::1]'];
  for (const list of Object.values(interfaces)) {
    for (const info of list ?? []) {
      if (info.family === 'IPv6' && (info.scopeid ?? 0) !== 0) continue;
      hosts.push(hostOf(info.address, info.family));
    }
  }
  for (const entry of extra.split(/[\s,]+/)) {
    const host = hostPattern(entry);
    if (host) hosts.push(host);
  }
  return [...new Set(hosts)];
}
