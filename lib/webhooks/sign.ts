// Webhook signatures. Deliveries follow Standard Webhooks (standardwebhooks.com): `webhook-id`,
// `webhook-timestamp` and `webhook-signature: v1,<base64 HMAC-SHA256 of "id.timestamp.body">` under the
// owner's whsec_ secret, so any Standard Webhooks receiver library verifies them unchanged. We sign with
// the reference implementation itself, so what we send and what receivers check cannot drift apart.
// The id and timestamp are signed with the body: a captured request cannot be replayed later or
// passed off as another event.
//
// The older `cueframe-signature` header (hex, `t=…,v1=…` over "t.body", one secret for all owners) is
// still sent alongside for one release so existing receivers keep working; it is deprecated.
import { createHmac, timingSafeEqual } from 'node:crypto';
import { Webhook } from 'standardwebhooks';

export const WEBHOOK_ID_HEADER = 'webhook-id';
export const WEBHOOK_TIMESTAMP_HEADER = 'webhook-timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'webhook-signature';

/**
 * The `webhook-signature` value: one `v1,<base64>` entry per secret, space-separated (during a
 * rotation both the old and the new secret sign, so a receiver with either verifies).
 */
export function standardSignature(secrets: readonly string[], msgId: string, timestampSeconds: number, rawBody: string): string {
  if (!Number.isSafeInteger(timestampSeconds) || timestampSeconds < 0) {
    throw new RangeError(`A signature timestamp must be whole unix seconds, got ${timestampSeconds}.`);
  }
  if (secrets.length === 0) throw new RangeError('A delivery needs at least one signing secret.');
  const at = new Date(timestampSeconds * 1000);
  return secrets.map((secret) => new Webhook(secret).sign(msgId, at, rawBody)).join(' ');
}

/** Deprecated: the pre-Standard-Webhooks header, sent alongside for one release. */
export const SIGNATURE_HEADER = 'cueframe-signature';
/** Deprecated with SIGNATURE_HEADER: `webhook-id` carries the same id. */
export const EVENT_ID_HEADER = 'cueframe-event-id';

const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** Deprecated. The `cueframe-signature` header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
export function signPayload(secret: string, timestamp: number, rawBody: string): string {
  if (!Number.isSafeInteger(timestamp) || timestamp < 0) {
    throw new RangeError(`A signature timestamp must be whole unix seconds, got ${timestamp}.`);
  }
  return `t=${timestamp},v1=${hmacHex(secret, timestamp, rawBody)}`;
}

interface ParsedHeader {
  timestamp: number;
  signatures: string[];
}

// Several v1 entries are accepted so a sender could sign with an old and a new secret during rotation.
function parseHeader(header: string): ParsedHeader | null {
  let timestamp: number | null = null;
  const signatures: string[] = [];
  for (const part of header.split(',')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    const value = part.slice(eq + 1).trim();
    if (key === 't') {
      if (timestamp !== null || !/^\d{1,12}$/.test(value)) return null;
      timestamp = Number(value);
    } else if (key === 'v1' && /^[0-9a-f]{64}$/i.test(value)) {
      signatures.push(value.toLowerCase());
    }
  }
  return timestamp === null || signatures.length === 0 ? null : { timestamp, signatures };
}

/**
 * Checks a `cueframe-signature` header against the raw request body, exactly as received (parse
 * the JSON only after this passes: re-serialising it changes the bytes). False for a missing or
 * malformed header, a wrong signature, or a timestamp more than `toleranceSeconds` from now.
 */
export function verifySignature(
  secret: string,
  header: string | null | undefined,
  rawBody: string,
  opts: { nowSeconds: number; toleranceSeconds?: number },
): boolean {
  if (!header) return false;
  const parsed = parseHeader(header);
  if (!parsed) return false;
  const tolerance = opts.toleranceSeconds ?? DEFAULT_TOLERANCE_SECONDS;
  if (Math.abs(opts.nowSeconds - parsed.timestamp) > tolerance) return false;
  const expected = Buffer.from(hmacHex(secret, parsed.timestamp, rawBody), 'hex');
  // Every candidate is compared in full, so the time taken says nothing about which one came close.
  let match = false;
  for (const candidate of parsed.signatures) {
    if (timingSafeEqual(expected, Buffer.from(candidate, 'hex'))) match = true;
  }
  return match;
}
