// Webhook signatures. The timestamp is signed along with the body so a captured request cannot be
// replayed later; receivers reject anything outside a few minutes of their own clock. This file is
// the reference implementation receivers are told to copy.
import { createHmac, timingSafeEqual } from 'node:crypto';

export const SIGNATURE_HEADER = 'cueframe-signature';
/** The event's id, the same on every attempt, so a receiver can drop duplicates. */
export const EVENT_ID_HEADER = 'cueframe-event-id';

const DEFAULT_TOLERANCE_SECONDS = 300;

function hmacHex(secret: string, timestamp: number, rawBody: string): string {
  return createHmac('sha256', secret).update(`${timestamp}.${rawBody}`, 'utf8').digest('hex');
}

/** The `cueframe-signature` header value: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. */
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
