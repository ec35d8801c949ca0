// Keeps webhook deliveries off this server's own network. The URL is checked for shape up front,
// but addresses are checked inside the socket's own DNS lookup: a name that resolved to a public
// address when the event was created can resolve to 127.0.0.1 by the time we connect (rebinding).
import dns from 'node:dns';
import { isIP, type LookupFunction } from 'node:net';
import { StepError } from '@/lib/steps/errors';
import { isForbiddenAddress } from './addresses';

export { isForbiddenAddress };

/** The all-addresses form of dns.lookup, which dns.lookup itself satisfies. */
export type DnsLookup = (
  hostname: string,
  options: dns.LookupAllOptions,
  callback: (err: NodeJS.ErrnoException | null, addresses: dns.LookupAddress[]) => void,
) => void;

export interface GuardOptions {
  /** Local development only: lets a webhook reach this machine or its network (never the metadata service). */
  allowPrivate: boolean;
  lookup?: DnsLookup;
  /** Tests only: stands in for isForbiddenAddress so a loopback receiver can play a public host. */
  isForbidden?: (ip: string) => boolean;
}

// Names that reach a cloud's metadata service without any DNS trickery; refused even in development.
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata']);

// Cloud metadata endpoints stay refused even with allowPrivate: no development receiver lives there.
const METADATA_ADDRESSES = new Set(['169.254.169.254', 'fd00:ec2::254', '100.100.100.200']);

function forbiddenFor(opts: GuardOptions): (ip: string) => boolean {
  const forbidden = opts.isForbidden ?? isForbiddenAddress;
  return (ip) => METADATA_ADDRESSES.has(ip) || (!opts.allowPrivate && forbidden(ip));
}

const refuse = (message: string) => new StepError('webhook_url_refused', message, { permanent: true });

/** Parses a callback URL and refuses schemes, credentials and metadata hosts no webhook may use. */
export function checkUrl(raw: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw refuse('The callback URL is not a valid URL.');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw refuse(`The callback URL must start with http:// or https://, not ${url.protocol}//.`);
  }
  if (url.username || url.password) throw refuse('The callback URL must not contain a user name or password.');
  if (METADATA_HOSTS.has(url.hostname.replace(/\.+$/, ''))) {
    throw refuse(`The callback URL points at the cloud metadata service (${url.hostname}).`);
  }
  return url;
}

/**
 * The check at the door (generate and estimate): everything delivery would refuse without a DNS lookup,
 * as a message for the caller, or null. Delivery still checks each resolved address and every redirect.
 */
export function callbackUrlProblem(raw: string, opts: Pick<GuardOptions, 'allowPrivate'>): string | null {
  try {
    const url = checkUrl(raw);
    const host = url.hostname.replace(/\.+$/, '').toLowerCase();
    // RFC 6761: every *.localhost name is this machine, whatever DNS says.
    if (!opts.allowPrivate && (host === 'localhost' || host.endsWith('.localhost'))) {
      return `${url.hostname} is this machine, which webhooks may not reach.`;
    }
    checkLiteralHost(url.hostname, opts);
    return null;
  } catch (err) {
    if (err instanceof StepError) return err.message;
    throw err;
  }
}

/** The refusal for a host that is, or resolves to, a forbidden address. */
export function refusedAddress(host: string, ip: string): StepError {
  return host === ip
    ? refuse(`${ip} is a private address, which webhooks may not reach.`)
    : refuse(`${host} resolves to a private address ${ip}, which webhooks may not reach.`);
}

/**
 * Sockets skip the lookup entirely for an IP literal, so a literal host is judged here instead.
 * Throws the refusal; a host name passes through to guardedLookup.
 */
export function checkLiteralHost(hostname: string, opts: GuardOptions): void {
  const bare = hostname.replace(/^\[(.*)\]$/, '$1');
  if (isIP(bare) && forbiddenFor(opts)(bare)) {
    throw refusedAddress(bare, bare);
  }
}

/**
 * A drop-in `lookup` for http/https requests. Resolves every address of the name and refuses the
 * lot if any is forbidden: a mixed answer is what a rebinding attack looks like, and which one
 * the socket would pick is not ours to bet on.
 */
export function guardedLookup(opts: GuardOptions): LookupFunction {
  const resolve: DnsLookup = opts.lookup ?? dns.lookup;
  const forbidden = forbiddenFor(opts);
  return (hostname, options, callback) => {
    const fail = (err: NodeJS.ErrnoException) => callback(err, options.all ? [] : '');
    resolve(hostname, { ...options, all: true }, (err, addresses) => {
      if (err) return fail(err);
      if (addresses.length === 0) {
        return fail(Object.assign(new Error(`${hostname} has no addresses.`), { code: 'ENOTFOUND' }));
      }
      const bad = addresses.find((a) => forbidden(a.address));
      if (bad) return fail(refusedAddress(hostname, bad.address));
      if (options.all) return callback(null, addresses);
      callback(null, addresses[0]!.address, addresses[0]!.family);
    });
  };
}
